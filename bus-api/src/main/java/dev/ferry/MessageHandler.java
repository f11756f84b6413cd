package dev.ferry;

/**
 * A handler registered explicitly, for code that prefers lambdas to annotated methods.
 *
 * @param <T> the message type
 */
@FunctionalInterface
public interface MessageHandler<T> {
  /**
   * Handles one message.
   *
   * @return messages to cascade: one message, an {@link Iterable} of messages, or {@code null}
   */
  Object handle(T message, MessageContext context) throws Exception;
}
