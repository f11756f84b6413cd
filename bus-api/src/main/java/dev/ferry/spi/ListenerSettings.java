package dev.ferry.spi;

/**
 * How a listener receives.
 *
 * @param concurrency deliveries in flight at most
 * @param prefetch messages a transport may buffer ahead of the handlers (bounded)
 * @param maxBatch deliveries the handler may take in one call ({@link DeliveryHandler#handle})
 * @param durable whether the endpoint uses the durable inbox
 * @param sessions whether to receive in ordered sessions
 */
public record ListenerSettings(
    int concurrency, int prefetch, int maxBatch, boolean durable, boolean sessions) {
  public ListenerSettings {
    if (concurrency < 1 || prefetch < 0 || maxBatch < 1) {
      throw new IllegalArgumentException(
          "concurrency and maxBatch must be >= 1 and prefetch >= 0: " + this);
    }
  }
}
