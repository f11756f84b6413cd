package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.Envelope;
import java.util.List;

/** Sends envelopes to one destination. */
public interface Sender extends AutoCloseable {

  Address destination();

  /**
   * Sends a batch, atomically where the transport can (one JMS transaction, one Service Bus batch).
   * Returns only when the transport has accepted every envelope; throws if it accepted none or
   * cannot tell. Envelopes with {@link Envelope#scheduledFor()} are scheduled natively; the runtime
   * only passes them when {@link TransportCapabilities#nativeScheduling()} is true.
   */
  void send(List<Envelope> batch) throws Exception;

  @Override
  void close();
}
