package dev.ferry.jdbi;

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
import java.util.function.Predicate;

/**
 * A real transport whose senders to some destinations go through a hook: one that fails while a
 * switch is down (a lost broker), waits at a gate, or sends and then hangs (a node that dies before
 * it can delete what it sent).
 */
final class HookedTransport implements Transport {

  /** Runs one batch for a hooked destination; call {@code real.send(batch)} to send it. */
  @FunctionalInterface
  interface Hook {
    void send(Sender real, List<Envelope> batch) throws Exception;
  }

  private final Transport delegate;
  private final Predicate<Address> hooked;
  private final Hook hook;

  HookedTransport(Transport delegate, Predicate<Address> hooked, Hook hook) {
    this.delegate = delegate;
    this.hooked = hooked;
    this.hook = hook;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public TransportCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void start(TransportContext context) throws Exception {
    delegate.start(context);
  }

  @Override
  public Sender sender(Address destination) throws Exception {
    Sender real = delegate.sender(destination);
    if (!hooked.test(destination)) {
      return real;
    }
    return new Sender() {
      @Override
      public Address destination() {
        return destination;
      }

      @Override
      public void send(List<Envelope> batch) throws Exception {
        hook.send(real, batch);
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler)
      throws Exception {
    return delegate.listen(source, settings, handler);
  }

  @Override
  public Address replyAddress(String nodeId) {
    return delegate.replyAddress(nodeId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
