package dev.ferry.spi;

import java.util.List;

/**
 * The runtime's entry point for received messages. Transports call it on their own threads, never
 * with more deliveries in flight than the listener's concurrency allows, and settle each delivery
 * as decided after it returns: this is what makes back pressure reach the broker.
 */
@FunctionalInterface
public interface DeliveryHandler {

  /**
   * Handles a batch (often of one) and returns one decision per delivery, in order. Never throws
   * for a message's failure; when the runtime itself could not work (its store is down, say) the
   * decisions say {@link Decision.RedeliverBatch}. Transports call this through {@link
   * dev.ferry.spi.support.Settlements#decide}, which also turns a thrown exception into a batch
   * redelivery.
   */
  List<Decision> handle(List<Delivery> deliveries);

  /**
   * Whether the runtime can work now (its store answers). A transport holding deliveries after a
   * {@link Decision.RedeliverBatch} asks this before it tries them again.
   */
  default boolean ready() {
    return true;
  }
}
