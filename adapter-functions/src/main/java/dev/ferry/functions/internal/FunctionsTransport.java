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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport of a bus in a function app. Sending goes through the real transport (Service Bus);
 * receiving does not: the Functions host receives, so {@link #listen} only records which pipeline
 * handles each entity, and invocations hand their messages to it ({@link #listenerFor}). Replies to
 * this node's requests are the exception: no function is triggered by them, so they are received by
 * the real transport while the worker lives.
 */
public final class FunctionsTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(FunctionsTransport.class);
  private final Transport delegate;
  private final Map<String, InvocationListener> listeners = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean starting;
  private volatile Address replies;

  /** How long a send waits for the transport to start before it fails (and the outbox keeps it). */
  private static final long START_WAIT_SECONDS = 60;

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

  /**
   * Starts the real transport on a thread of its own. Creating the Service Bus client loads most of
   * the Azure SDK, about half a second of a cold start on a small worker; an invocation whose
   * handlers send nothing need not wait for it, and one that sends waits only at its first send. A
   * misconfigured connection shows there, and in the log at once.
   */
  @Override
  public void start(TransportContext context) {
    replies = delegate.replyAddress(context.nodeId());
    Thread starter =
        new Thread(
            () -> {
              try {
                delegate.start(context);
                started.complete(null);
              } catch (Throwable e) {
                log.error(
                    "The {} transport cannot start; sends fail until the worker is restarted: {}",
                    delegate.name(),
                    e.getMessage());
                started.completeExceptionally(e);
              }
            },
            "ferry-functions-transport-start");
    starter.setDaemon(true);
    starting = true;
    starter.start();
  }

  /** The failure that stopped the real transport from starting, or null. */
  public Throwable startFailure() {
    if (!started.isCompletedExceptionally()) {
      return null;
    }
    try {
      started.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  private void awaitStarted() throws Exception {
    try {
      started.get(START_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new dev.ferry.FerryException(
          "The "
              + delegate.name()
              + " transport has not started after "
              + START_WAIT_SECONDS
              + " s");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public Sender sender(Address destination) throws Exception {
    awaitStarted();
    return delegate.sender(destination);
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler)
      throws Exception {
    if (source.equals(replies)) {
      awaitStarted();
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
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    listeners.clear();
    if (!starting) {
      // The bus failed before it started the transport (its store was down, say).
      started.completeExceptionally(new IllegalStateException("closed before it started"));
      delegate.close();
      return;
    }
    try {
      started.get(30, TimeUnit.SECONDS); // closing a half-started client could leak its threads
    } catch (Exception e) {
      // failed, or still starting after 30 s: close what there is
    }
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
