package dev.ferry;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler knows about the message it handles, and how it sends more. Messages sent through
 * the context are cascades: they join the handler's unit of work and leave only if it commits; they
 * carry this message's correlation id, and its id as their causation id.
 */
public interface MessageContext {

  /** The incoming envelope (id, type, headers, body...). */
  Envelope envelope();

  /** The endpoint the message was received on, or null for a local {@code invoke}. */
  Address endpoint();

  /** Shortcut for {@code envelope().headers()}. */
  default Map<String, String> headers() {
    return envelope().headers();
  }

  /**
   * This handling attempt, starting at 1: the failed attempts before it plus one (see {@link
   * dev.ferry.spi.Delivery#priorAttempts()}).
   */
  int attempt();

  /** Sends a reply to the sender's reply address. Fails if the message carries none. */
  void respond(Object reply);

  void send(Object message);

  void send(Object message, DeliveryOptions options);

  void publish(Object message);

  void publish(Object message, DeliveryOptions options);

  /** Sends a command, or publishes an event, for delivery no earlier than {@code at}. */
  void schedule(Object message, Instant at);

  /**
   * A resource of the current unit of work, such as the JDBI {@code Handle} of a durable endpoint's
   * database transaction.
   */
  <T> Optional<T> resource(Class<T> type);
}
