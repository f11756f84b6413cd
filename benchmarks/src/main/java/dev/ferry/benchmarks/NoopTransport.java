package dev.ferry.benchmarks;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Accepts every batch and forgets it: only the store is measured. */
final class NoopTransport implements Transport {
  final AtomicLong sent = new AtomicLong();

  @Override
  public String name() {
    return "noop";
  }

  @Override
  public TransportCapabilities capabilities() {
    return new TransportCapabilities(false, false, false, false, 0);
  }

  @Override
  public void start(TransportContext context) {}

  @Override
  public Sender sender(Address destination) {
    return new Sender() {
      @Override
      public Address destination() {
        return destination;
      }

      @Override
      public void send(List<Envelope> batch) {
        sent.addAndGet(batch.size());
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
    throw new UnsupportedOperationException("The benchmark's transport does not receive");
  }

  @Override
  public void close() {}
}
