package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.AbandonOptions;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.support.NativeSettlement;
import dev.ferry.spi.support.Settlements;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one entity with the SDK's processor in peek-lock mode, auto-completion off: at most
 * {@link ListenerSettings#concurrency()} handler calls at once (maxConcurrentCalls, or one call per
 * session and {@code concurrency} sessions for session entities), each message settled as the
 * runtime's {@link Decision} says once the handler returned. The SDK renews locks of messages being
 * handled, reconnects after a connection loss and resumes receiving on its own.
 *
 * <p>Settlements: complete; dead-letter natively with reason and description; requeue by abandoning
 * with the failed attempts written into the message (abandon may modify application properties),
 * or, with a delay, by scheduling a copy carrying them and completing the original; a redelivery
 * after a failure of the runtime itself is an abandon that moves the delivery base along, so that
 * it does not count as an attempt. While the runtime's store does not answer, the message is held
 * (its lock renewed) instead, so that an outage does not use up Service Bus' delivery count.
 *
 * <p>Pause and close park the processor's handler slots: a message that arrives meanwhile is
 * abandoned once (without counting as a failed delivery) and its slot waits, so the processor asks
 * for nothing more; close then waits for the handlers in flight and closes the processor.
 */
public final class ServiceBusListener implements Listener {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusListener.class);

  /** Longest pause before abandoning after the runtime's own failure (the store is down, say). */
  private static final Duration MAX_INFRASTRUCTURE_BACKOFF = Duration.ofSeconds(5);

  /** How long a slot parked during close waits for the processor to close. */
  private static final long PARK_ON_CLOSE_MS = 5_000;

  private static final long ERROR_LOG_INTERVAL_NANOS = 30_000_000_000L;
  private static final int MAX_PROPERTY_TEXT = 4096;

  /**
   * How a listener receives, beyond {@link ListenerSettings}.
   *
   * @param prefetch messages fetched ahead of the handlers
   * @param maxLockRenewal how long locks of messages being handled are renewed at most
   * @param sessions whether the entity requires sessions
   * @param sessionIdleTimeout how long to wait for a session's next message
   * @param closeTimeout how long close waits for handlers in flight
   * @param settleTimeout how long a settlement may block before it is interrupted; the SDK's own
   *     timeouts do not always end a settlement whose link went away with the connection
   */
  public record Options(
      int prefetch,
      Duration maxLockRenewal,
      boolean sessions,
      Duration sessionIdleTimeout,
      Duration closeTimeout,
      Duration settleTimeout) {

    /** The same options for an entity that does or does not require sessions. */
    public Options withSessions(boolean value) {
      return new Options(
          prefetch, maxLockRenewal, value, sessionIdleTimeout, closeTimeout, settleTimeout);
    }
  }

  private final ServiceBusClients clients;
  private final Address source;
  private final ListenerSettings settings;
  private final DeliveryHandler handler;
  private final Options options;
  private final Entities entities;
  private final ScheduledExecutorService timer;
  private volatile ServiceBusProcessorClient processor;

  private final Object state = new Object();
  private int inFlight;
  private boolean paused;
  private boolean closing;
  private boolean closed;
  private long lastErrorLogNanos;
  private int suppressedErrors;

  public ServiceBusListener(
      ServiceBusClients clients,
      Address source,
      ListenerSettings settings,
      DeliveryHandler handler,
      Options options,
      Entities entities,
      ScheduledExecutorService timer) {
    if (source.kind() == Address.Kind.TOPIC) {
      throw new IllegalArgumentException(
          "Listen on a subscription of topic " + source.name() + ", not on the topic itself");
    }
    this.clients = clients;
    this.source = source;
    this.settings = settings;
    this.handler = handler;
    this.options = options;
    this.entities = entities;
    this.timer = timer;
  }

  /**
   * Starts the processor, or, when the entity does not exist, warns and leaves it to the watcher to
   * start it once it does. A session entity cannot be checked without taking a session, so its
   * processor starts at once (and reports a missing entity through its error handler).
   */
  public void start(EntityWatcher watcher) {
    if (options.sessions() || entityExists()) {
      startProcessor();
      return;
    }
    log.warn(
        "Service Bus entity '{}' ({}) does not exist, so nothing is received there; the listener"
            + " starts once it is created (checked every {}). Create it, or give the handler"
            + " an explicit endpoint",
        Entities.path(source),
        source,
        watcher.interval());
    watcher.watch(this);
  }

  /**
   * Whether the entity exists, by a peek. Throws when Service Bus cannot be reached, so that a bus
   * starting without a reachable namespace fails at start with the reason.
   */
  boolean entityExists() {
    try (ServiceBusReceiverClient peeker = clients.receiver(source, false)) {
      peeker.peekMessage();
      return true;
    } catch (RuntimeException e) {
      if (ServiceBusClients.isNotFound(e)) {
        return false;
      }
      throw new FerryException(
          "Cannot reach Service Bus entity '"
              + Entities.path(source)
              + "' ("
              + source
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Starts receiving, unless closed meanwhile. */
  void startProcessor() {
    synchronized (state) {
      if (closing || processor != null) {
        return;
      }
      processor = options.sessions() ? sessionProcessor() : processor();
      // Started under the lock, so that a concurrent close cannot close it before it starts.
      processor.start();
    }
    log.debug("Listening on {} ({})", source, options.sessions() ? "sessions" : "peek-lock");
  }

  boolean isClosed() {
    synchronized (state) {
      return closing;
    }
  }

  private ServiceBusProcessorClient processor() {
    ServiceBusClientBuilder.ServiceBusProcessorClientBuilder b = clients.builder().processor();
    if (source.kind() == Address.Kind.SUBSCRIPTION) {
      b.topicName(source.name()).subscriptionName(source.subscription());
    } else {
      b.queueName(source.name());
    }
    return b.receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
        .disableAutoComplete()
        .maxConcurrentCalls(settings.concurrency())
        .prefetchCount(options.prefetch())
        .maxAutoLockRenewDuration(options.maxLockRenewal())
        .processMessage(this::onMessage)
        .processError(this::onError)
        .buildProcessorClient();
  }

  private ServiceBusProcessorClient sessionProcessor() {
    ServiceBusClientBuilder.ServiceBusSessionProcessorClientBuilder b =
        clients.builder().sessionProcessor();
    if (source.kind() == Address.Kind.SUBSCRIPTION) {
      b.topicName(source.name()).subscriptionName(source.subscription());
    } else {
      b.queueName(source.name());
    }
    // One call per session keeps each session's messages in order.
    return b.receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
        .disableAutoComplete()
        .maxConcurrentSessions(settings.concurrency())
        .maxConcurrentCalls(1)
        .sessionIdleTimeout(options.sessionIdleTimeout())
        .prefetchCount(options.prefetch())
        .maxAutoLockRenewDuration(options.maxLockRenewal())
        .processMessage(this::onMessage)
        .processError(this::onError)
        .buildProcessorClient();
  }

  private void onMessage(ServiceBusReceivedMessageContext context) {
    if (!enter()) {
      park(context);
      return;
    }
    try {
      handle(context);
    } finally {
      exit();
    }
  }

  private boolean enter() {
    synchronized (state) {
      if (paused || closing) {
        return false;
      }
      inFlight++;
      return true;
    }
  }

  private void exit() {
    synchronized (state) {
      inFlight--;
      state.notifyAll();
    }
  }

  /**
   * A message that arrived while paused or closing: hand it back at once, without counting the
   * delivery as a failure, and hold the slot so that the processor takes nothing more.
   */
  private void park(ServiceBusReceivedMessageContext context) {
    abandonUncounted(context);
    long deadline = System.currentTimeMillis() + PARK_ON_CLOSE_MS;
    synchronized (state) {
      try {
        while (!closed) {
          if (closing) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
              return;
            }
            state.wait(left);
          } else if (paused) {
            state.wait(1_000);
          } else {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void handle(ServiceBusReceivedMessageContext context) {
    ServiceBusReceivedMessage m = context.getMessage();
    if (source.kind() == Address.Kind.SUBSCRIPTION && !meantForThisSubscription(m)) {
      // A copy for another subscriber (a retry or a replay): without a filter rule on the
      // subscription every subscriber gets it, and all but the one it names skip it.
      settleQuietly("complete", m, context::complete);
      return;
    }
    Delivery delivery = read(m);
    // While the runtime cannot work, the message is held (its lock renewed by the SDK) rather
    // than abandoned: Service Bus counts every delivery, up to MaxDeliveryCount.
    List<Decision> decisions =
        Settlements.decideHolding(handler, List.of(delivery), this::holding, holdLimit());
    try {
      Settlements.settle(List.of(context), List.of(delivery), decisions, settlement);
    } catch (Exception e) {
      log.warn("Could not settle {} on {}: {}", delivery.envelope().id(), source, e.toString());
    }
  }

  /** Service Bus settlement of one message in peek-lock mode. */
  private final NativeSettlement<ServiceBusReceivedMessageContext> settlement =
      new NativeSettlement<>() {
        @Override
        public void acknowledge(ServiceBusReceivedMessageContext context) {
          settleQuietly("complete", context.getMessage(), context::complete);
        }

        @Override
        public void requeue(
            ServiceBusReceivedMessageContext context, Delivery d, Decision.Requeue requeue) {
          ServiceBusListener.this.requeue(context, d, requeue);
        }

        @Override
        public void deadLetter(
            ServiceBusReceivedMessageContext context, Delivery d, Decision.DeadLetter dl) {
          settleQuietly(
              "dead-letter",
              context.getMessage(),
              () ->
                  context.deadLetter(
                      new DeadLetterOptions()
                          .setDeadLetterReason(limit(dl.reason()))
                          .setDeadLetterErrorDescription(limit(dl.description()))));
        }

        @Override
        public void redeliverAll(
            List<ServiceBusReceivedMessageContext> contexts, Decision.RedeliverBatch again) {
          // The runtime could not work: wait a little, then hand it back without counting it.
          Duration pause = again.pause();
          sleep(
              pause.compareTo(MAX_INFRASTRUCTURE_BACKOFF) > 0 ? MAX_INFRASTRUCTURE_BACKOFF : pause);
          contexts.forEach(ServiceBusListener.this::abandonUncounted);
        }

        @Override
        public boolean hasNativeDeadLetter() {
          return true;
        }
      };

  private boolean holding() {
    synchronized (state) {
      return !closing;
    }
  }

  /** Held at most until shortly before the SDK stops renewing the message's lock. */
  private Duration holdLimit() {
    Duration limit = options.maxLockRenewal().minusSeconds(30);
    return limit.isNegative() ? Duration.ZERO : limit;
  }

  /** Abandons a message so that this delivery does not count as an attempt. */
  private void abandonUncounted(ServiceBusReceivedMessageContext context) {
    ServiceBusReceivedMessage m = context.getMessage();
    Object base = m.getApplicationProperties().get(ServiceBusWireFormat.DELIVERY_BASE);
    int next = (base instanceof Number n ? n.intValue() : 0) + 1;
    settleQuietly(
        "abandon",
        m,
        () ->
            context.abandon(
                new AbandonOptions()
                    .setPropertiesToModify(Map.of(ServiceBusWireFormat.DELIVERY_BASE, next))));
  }

  private boolean meantForThisSubscription(ServiceBusReceivedMessage m) {
    String target;
    try {
      target = ServiceBusWireFormat.target(m);
    } catch (RuntimeException e) {
      return true;
    }
    return target == null || target.equalsIgnoreCase(source.subscription());
  }

  private Delivery read(ServiceBusReceivedMessage m) {
    return read(m, source);
  }

  /** A received message as a delivery; never throws. */
  public static Delivery read(ServiceBusReceivedMessage m, Address source) {
    int count = ServiceBusWireFormat.deliveryCount(m);
    try {
      return new Delivery(ServiceBusWireFormat.fromMessage(m), source, count);
    } catch (RuntimeException e) {
      // Garbled properties: keep what identifies it; the pipeline dead-letters it with the reason.
      return new Delivery(
          ServiceBusWireFormat.bestEffort(m), source, count, String.valueOf(e.getMessage()));
    }
  }

  private void requeue(ServiceBusReceivedMessageContext context, Delivery d, Decision.Requeue s) {
    ServiceBusReceivedMessage m = context.getMessage();
    Duration delay = s.delay();
    if (!delay.isZero()) {
      try {
        sendCopy(d.envelope(), s.attempts(), delay);
        settleQuietly("complete", m, context::complete);
        return;
      } catch (RuntimeException e) {
        log.warn(
            "Could not schedule a delayed requeue of {} on {}; abandoning it instead: {}",
            d.envelope().id(),
            source,
            e.toString());
      }
    }
    // The next delivery reads the attempts from the message and counts deliveries from here.
    Map<String, Object> modified =
        Map.of(
            ServiceBusWireFormat.ATTEMPTS,
            s.attempts(),
            ServiceBusWireFormat.DELIVERY_BASE,
            (int) Math.min(Integer.MAX_VALUE, m.getDeliveryCount() + 1));
    settleQuietly(
        "abandon", m, () -> context.abandon(new AbandonOptions().setPropertiesToModify(modified)));
  }

  /**
   * A copy carrying the failed attempts, scheduled natively for now + delay; its broker message id
   * is derived from the attempts, so duplicate detection on the entity does not drop it.
   */
  private void sendCopy(Envelope e, int failedAttempts, Duration delay) {
    Instant now = Instant.now();
    Envelope copy = e.toBuilder().attempts(failedAttempts).scheduledFor(now.plus(delay)).build();
    String target = source.kind() == Address.Kind.SUBSCRIPTION ? source.subscription() : null;
    String defaultSession = entities.sendsInSessions(source) ? copy.correlationId() : null;
    ServiceBusMessage message = ServiceBusWireFormat.toMessage(copy, defaultSession, target, now);
    clients.sender(source).sendMessage(message);
  }

  /**
   * Runs a settlement, logging a failure: the message then comes back when its lock expires. A
   * settlement still blocked after the settle timeout is interrupted, so that a slot of the
   * processor is never lost to a settlement that will not end.
   */
  private void settleQuietly(String what, ServiceBusReceivedMessage m, Runnable action) {
    Thread settling = Thread.currentThread();
    Object guard = new Object();
    boolean[] done = {false};
    ScheduledFuture<?> watchdog =
        timer.schedule(
            () -> {
              synchronized (guard) {
                if (!done[0]) {
                  settling.interrupt();
                }
              }
            },
            options.settleTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn(
          "Could not {} message {} (sequence {}) on {}; Service Bus redelivers it when its lock"
              + " expires: {}",
          what,
          m.getMessageId(),
          m.getSequenceNumber(),
          source,
          Thread.currentThread().isInterrupted() || hasInterruption(e)
              ? "no answer within " + options.settleTimeout()
              : e.toString());
    } finally {
      watchdog.cancel(false);
      synchronized (guard) {
        done[0] = true;
        Thread.interrupted(); // a late watchdog's interrupt must not leak into the SDK's thread
      }
    }
  }

  private static boolean hasInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }

  private void onError(ServiceBusErrorContext context) {
    Throwable e = context.getException();
    boolean full;
    int suppressed;
    synchronized (state) {
      if (closing) {
        return;
      }
      long now = System.nanoTime();
      full = lastErrorLogNanos == 0 || now - lastErrorLogNanos > ERROR_LOG_INTERVAL_NANOS;
      suppressed = suppressedErrors;
      if (full) {
        lastErrorLogNanos = now;
        suppressedErrors = 0;
      } else {
        suppressedErrors++;
      }
    }
    if (full && ServiceBusClients.isNotFound(e)) {
      log.error(
          "Service Bus entity '{}' ({}) does not exist ({} more errors since the last report);"
              + " the listener keeps trying",
          Entities.path(source),
          source,
          suppressed);
    } else if (full) {
      log.warn(
          "Service Bus listener on {} saw an error from {} ({} more since the last warning); the"
              + " SDK retries and resumes: {}",
          source,
          context.getErrorSource(),
          suppressed,
          String.valueOf(e));
    } else {
      log.debug("Service Bus listener on {}: {}", source, String.valueOf(e));
    }
  }

  private static String limit(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= MAX_PROPERTY_TEXT ? text : text.substring(0, MAX_PROPERTY_TEXT);
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Address source() {
    return source;
  }

  @Override
  public void pause() {
    synchronized (state) {
      paused = true;
    }
  }

  @Override
  public void resume() {
    synchronized (state) {
      paused = false;
      state.notifyAll();
    }
  }

  @Override
  public void close() {
    synchronized (state) {
      if (closing) {
        return;
      }
      closing = true;
      state.notifyAll();
      long deadline = System.nanoTime() + options.closeTimeout().toNanos();
      try {
        while (inFlight > 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            log.warn(
                "Listener on {} still has {} handler(s) running after {}; closing anyway",
                source,
                inFlight,
                options.closeTimeout());
            break;
          }
          state.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (processor != null) {
        processor.close();
      }
    } catch (RuntimeException e) {
      log.debug("Closing the processor of {} failed", source, e);
    } finally {
      synchronized (state) {
        closed = true;
        state.notifyAll();
      }
    }
  }
}
