package dev.ferry.internal.local;

import dev.ferry.Address;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory transport: the default when nothing else is configured, and the quickest way to
 * test handlers. Scheduling is left to the envelope store, dead letters to the runtime.
 */
public final class LocalTransport implements Transport {
  static final String NAME = "local";

  private final String brokerName;
  private final int capacity;
  private final Duration sendTimeout;
  private LocalBroker broker;
  private HostExecutors executors;
  private final List<LocalListener> listeners = new CopyOnWriteArrayList<>();

  public LocalTransport(FerryConfig config) {
    this.brokerName = config.require(FerryKeys.LOCAL_BROKER);
    this.capacity = config.require(FerryKeys.LOCAL_QUEUE_CAPACITY);
    this.sendTimeout = config.require(FerryKeys.SEND_TIMEOUT);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TransportCapabilities capabilities() {
    return new TransportCapabilities(false, false, true, false, 0);
  }

  @Override
  public void start(TransportContext context) {
    this.broker = LocalBroker.named(brokerName, capacity);
    this.executors = context.executors();
  }

  @Override
  public Sender sender(Address destination) {
    return new Sender() {
      @Override
      public Address destination() {
        return destination;
      }

      @Override
      public void send(List<dev.ferry.Envelope> batch) throws Exception {
        broker.send(destination, batch, sendTimeout);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
    LocalListener l = new LocalListener(broker, source, settings, handler, executors);
    listeners.add(l);
    l.start();
    return l;
  }

  @Override
  public void close() {
    listeners.forEach(LocalListener::close);
    listeners.clear();
  }

  /** Messages waiting at an address of the named broker; for tests. */
  public static int depth(String brokerName, Address address) {
    return LocalBroker.named(brokerName, 1).depth(address);
  }
}
