package dev.ferry.internal.handlers;

import dev.ferry.Address;
import dev.ferry.MessageContext;

/**
 * One registered handler.
 *
 * @param messageType the handled class
 * @param name a readable name such as {@code BillingHandlers.on(OrderPlaced)}
 * @param endpoint an endpoint from {@code @Handles(endpoint=...)}, or null to follow routing
 * @param invoker calls the handler
 */
public record HandlerDescriptor(
    Class<?> messageType, String name, Address endpoint, Invoker invoker) {

  /** Calls a handler and returns its result for cascading. */
  @FunctionalInterface
  public interface Invoker {
    Object invoke(Object message, MessageContext context) throws Exception;
  }
}
