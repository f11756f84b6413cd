package dev.ferry.spi;

import java.util.List;

/**
 * The runtime's entry point for received messages. Transports call it on their own threads, never
 * with more deliveries in flight than the listener's concurrency allows, and settle each delivery
 * as told after it returns: this is what makes back pressure reach the broker.
 */
@FunctionalInterface
public interface DeliveryHandler {

  /**
   * Handles a batch (often of one) and returns one settlement per delivery, in order. Never throws
   * for a message's failure; a thrown exception means the runtime itself could not work (its store
   * is down, say) and the transport should redeliver the whole batch later.
   */
  List<Settlement> handle(List<Delivery> deliveries);
}
