package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.Envelope;
import java.time.Instant;

/**
 * An envelope on its way to a destination, as the outbox stores it.
 *
 * @param envelope the message
 * @param destination where it goes (with its transport)
 * @param dueAt not to be sent before this instant (scheduled messages); null means now
 */
public record OutgoingEnvelope(Envelope envelope, Address destination, Instant dueAt) {
  public String id() {
    return envelope.id() + "@" + destination;
  }
}
