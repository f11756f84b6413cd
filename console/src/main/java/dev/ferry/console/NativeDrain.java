package dev.ferry.console;

/**
 * Moves a transport's native dead-letter queue into Ferry's store, so that the console lists its
 * messages with the others. For Service Bus, wrap the adapter's {@code DeadLetterDrain}:
 *
 * <pre>{@code
 * console.nativeDrain("servicebus:queue:orders",
 *     entity -> drain.drain(Address.parse(entity)));
 * }</pre>
 */
@FunctionalInterface
public interface NativeDrain {

  /** Drains the named entity; returns how many messages moved. */
  int drain(String entity) throws Exception;
}
