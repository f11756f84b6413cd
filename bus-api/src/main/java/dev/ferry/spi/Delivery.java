package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.Envelope;

/**
 * One received message.
 *
 * @param envelope the envelope as read from the wire; fields a foreign producer omitted are null
 * @param source where it was received
 * @param deliveryCount how often the transport delivered it, starting at 1; 0 when unknown
 * @param malformed why the transport could not read the message's headers, or null; such a delivery
 *     is dead-lettered with this reason and never handled
 */
public record Delivery(Envelope envelope, Address source, int deliveryCount, String malformed) {

  public Delivery(Envelope envelope, Address source, int deliveryCount) {
    this(envelope, source, deliveryCount, null);
  }
}
