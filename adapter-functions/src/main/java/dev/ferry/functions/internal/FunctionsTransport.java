package dev.ferry.functions.internal;

import dev.ferry.Address;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transport of a bus in a function app. Sending goes through the real transport (Service Bus);
 * receiving does not: the Functions host receives, so {@link #listen} only records which pipeline
 * handles each entity, and invocations hand their messages to it ({@link #listenerFor}). Replies to
 * this node's requests are the exception: no function is triggered by them, so they are received by
 * the real transport while the worker lives.
 */
public final class FunctionsTransport implements Transport {
  private final Transport delegate;
  private final Map<String, InvocationListener> listeners = new ConcurrentHashMap<>();
  private volatile Address replies;

  public FunctionsTransport(Transport delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  /**
   * The real transport's, except that dead-lettering natively is always possible: a message the
   * invocation keeps failing reaches the entity's dead-letter queue after MaxDeliveryCount
   * deliveries.
   */
  @Override
  public TransportCapabilities capabilities() {
    TransportCapabilities real = delegate.capabilities();
    return new TransportCapabilities(
        real.nativeScheduling(), true, true, false, real.maxMessageBytes());
  }

  @Override
  public void start(TransportContext context) throws Exception {
    delegate.start(context);
    replies = delegate.replyAddress(context.nodeId());
  }

  @Override
  public Sender sender(Address destination) throws Exception {
    return delegate.sender(destination);
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler)
      throws Exception {
    if (source.equals(replies)) {
      return delegate.listen(source, settings, handler);
    }
    InvocationListener listener = new InvocationListener(source, handler, listeners);
    listeners.put(key(source), listener);
    return listener;
  }

  @Override
  public Address replyAddress(String nodeId) {
    return delegate.replyAddress(nodeId);
  }

  /** The listener for a trigger's entity, or null if no handler of this app listens there. */
  public InvocationListener listenerFor(Address entity) {
    return listeners.get(key(entity));
  }

  /** The entities handlers listen on, for error messages. */
  public List<Address> entities() {
    return listeners.values().stream()
        .map(InvocationListener::source)
        .sorted(java.util.Comparator.comparing(Address::toString))
        .toList();
  }

  @Override
  public void close() {
    listeners.clear();
    delegate.close();
  }

  /** Entity names ignore case on Service Bus. */
  static String key(Address a) {
    String path =
        a.kind() == Address.Kind.SUBSCRIPTION
            ? a.name() + "/subscriptions/" + a.subscription()
            : a.kind() + ":" + a.name();
    return path.toLowerCase(Locale.ROOT);
  }
}
