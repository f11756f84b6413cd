package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.BusMetrics;
import dev.ferry.BusStatus;
import dev.ferry.DeadLetters;
import dev.ferry.DeliveryOptions;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.StoreGauges;
import dev.ferry.config.FerryKeys;
import dev.ferry.internal.runtime.EnvelopeFactory.Mode;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.SendScope;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bus: implements {@link MessageBus} over the parts {@link RuntimeWiring} made, and
 * starts and stops them.
 */
public final class FerryRuntime implements MessageBus {
  private static final Logger log = LoggerFactory.getLogger(FerryRuntime.class);

  private final RuntimeParts parts;
  private final RoutingSetup routing;
  private final Transport transport;
  private final HostExecutors executors;
  private final List<Listener> listeners = new ArrayList<>();

  /** What named observers registered once the bus ran (gauges); closed first. */
  private final List<AutoCloseable> observerResources = new ArrayList<>();

  private final RequestReplies requests;
  private final DeadLettersView deadLetters;
  private Listener replyListener;
  private Address replyAddress;
  private volatile boolean closed;

  FerryRuntime(
      RuntimeParts parts, RoutingSetup routing, Transport transport, HostExecutors executors) {
    this.parts = parts;
    this.routing = routing;
    this.transport = transport;
    this.executors = executors;
    this.requests = new RequestReplies(parts, executors.scheduler());
    this.deadLetters = new DeadLettersView(parts);
  }

  /** Starts the store, the transport, the relay, dead-letter expiry and the listeners. */
  void startParts(BusSpec spec) throws Exception {
    RuntimeSettings s = parts.settings;
    parts.store.start(s.nodeId());
    transport.start(new TransportContext(s.serviceName(), s.nodeId(), spec.config(), executors));
    parts.outbox.start();
    deadLetters.startExpiry(
        spec.config().get(FerryKeys.DEAD_LETTER_RETENTION), executors, () -> closed);
    ListenerSettings ls =
        new ListenerSettings(
            s.listenerConcurrency(),
            s.listenerPrefetch(),
            s.listenerMaxBatch(),
            parts.store.durable() && s.durableInbox(),
            false);
    parts
        .router
        .listeningEndpoints(parts.handlers)
        .forEach(
            (endpoint, handlers) -> {
              try {
                listeners.add(
                    transport.listen(endpoint, ls, new Pipeline(endpoint, handlers, parts)));
              } catch (Exception e) {
                throw new FerryException("Cannot listen on " + endpoint + ": " + e.getMessage(), e);
              }
            });
    log.info(
        "Ferry bus '{}' started: node {}, transport {}, store {}, {} listener(s)",
        s.serviceName(),
        s.nodeId(),
        transport.name(),
        parts.store.durable() ? parts.store.getClass().getSimpleName() : "in-memory",
        listeners.size());
  }

  private void checkOpen() {
    if (closed) {
      throw new FerryException("The bus '" + parts.settings.serviceName() + "' is closed");
    }
  }

  private void submit(OutgoingEnvelope untraced) {
    checkOpen();
    SendScope scope = parts.observers.sending(untraced.envelope(), untraced.destination());
    try {
      parts.outbox.submit(List.of(Observers.traced(untraced, scope)));
    } catch (RuntimeException e) {
      scope.failed(e);
      throw e;
    } catch (Exception e) {
      scope.failed(e);
      throw new FerryException("Cannot store outgoing message: " + e.getMessage(), e);
    } finally {
      scope.close();
    }
  }

  /** Keeps what a named observer registered once the bus ran, to close it with the bus. */
  void keepObserverResource(AutoCloseable resource) {
    observerResources.add(resource);
  }

  @Override
  public void send(Object message, DeliveryOptions options) {
    submit(parts.factory.create(message, Mode.SEND, options, null, null));
  }

  @Override
  public void publish(Object message, DeliveryOptions options) {
    submit(parts.factory.create(message, Mode.PUBLISH, options, null, null));
  }

  @Override
  public void schedule(Object message, Instant at, DeliveryOptions options) {
    submit(parts.factory.create(message, Mode.ROUTED, options, null, at));
  }

  @Override
  public <R> CompletionStage<R> request(Object message, Class<R> replyType) {
    return request(message, replyType, parts.settings.requestTimeout(), DeliveryOptions.none());
  }

  @Override
  public <R> CompletionStage<R> request(
      Object message, Class<R> replyType, Duration timeout, DeliveryOptions options) {
    checkOpen();
    Address replies = ensureReplyListener();
    OutgoingEnvelope base = parts.factory.create(message, Mode.SEND, options, null, null);
    Envelope envelope =
        base.envelope().toBuilder()
            .replyTo(replies.toString())
            .replyType(parts.types.aliasOf(replyType))
            .build();
    CompletableFuture<R> future = requests.register(envelope.id(), replyType, timeout);
    try {
      submit(new OutgoingEnvelope(envelope, base.destination(), base.dueAt()));
    } catch (RuntimeException e) {
      requests.fail(envelope.id(), e);
    }
    return future;
  }

  private synchronized Address ensureReplyListener() {
    if (replyListener == null) {
      replyAddress = transport.replyAddress(parts.settings.nodeId());
      ListenerSettings ls =
          new ListenerSettings(1, parts.settings.listenerPrefetch(), 16, false, false);
      try {
        replyListener = transport.listen(replyAddress, ls, requests);
      } catch (Exception e) {
        throw new FerryException("Cannot listen for replies on " + replyAddress, e);
      }
    }
    return replyAddress;
  }

  @Override
  public void invoke(Object message) {
    invoke(message, Object.class);
  }

  @Override
  public <R> R invoke(Object message, Class<R> resultType) {
    checkOpen();
    Envelope envelope = LocalInvoker.localEnvelope(parts, message);
    Object result;
    try {
      result = LocalInvoker.invokeLocally(parts, message, envelope);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException("The handler of " + envelope.messageType() + " failed", e);
    }
    if (result != null && !resultType.isInstance(result)) {
      throw new FerryException(
          "Handler returned " + result.getClass().getName() + ", not " + resultType.getName());
    }
    return resultType.cast(result);
  }

  @Override
  public boolean flush(Duration timeout) {
    try {
      return parts.outbox.flush(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean awaitSent(Duration timeout) {
    try {
      return parts.outbox.awaitSent(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public DeadLetters deadLetters() {
    return deadLetters;
  }

  @Override
  public BusMetrics metrics() {
    return parts.counters.snapshot();
  }

  @Override
  public StoreGauges storeGauges() {
    try {
      return parts.store.gauges();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException("Cannot read the store's gauges: " + e.getMessage(), e);
    }
  }

  @Override
  public String describeRouting() {
    return routing.report();
  }

  @Override
  public String serviceName() {
    return parts.settings.serviceName();
  }

  @Override
  public BusStatus status() {
    boolean storeAnswers;
    try {
      parts.store.ping();
      storeAnswers = true;
    } catch (Exception e) {
      storeAnswers = false;
    }
    List<BusStatus.Listening> listening = new ArrayList<>();
    synchronized (this) {
      for (Listener l : listeners) {
        listening.add(new BusStatus.Listening(l.source(), !storeAnswers, l.attached()));
      }
    }
    return new BusStatus(parts.outbox.destinations(), listening, storeAnswers, !closed);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable r : observerResources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("Closing an observer's resource failed", e);
      }
    }
    Duration timeout = parts.settings.shutdownTimeout();
    for (Listener l : listeners) {
      quietly(l::close, "listener " + l.source());
    }
    if (replyListener != null) {
      quietly(replyListener::close, "reply listener");
    }
    requests.failAll(new FerryException("The bus is closing"));
    parts.outbox.close(timeout);
    quietly(transport::close, "transport");
    quietly(parts.store::close, "store");
    if (executors.ownsExecutors()) {
      executors.scheduler().shutdownNow();
    }
    log.info("Ferry bus '{}' stopped", parts.settings.serviceName());
  }

  private static void quietly(Runnable r, String what) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("Closing {} failed", what, e);
    }
  }
}
