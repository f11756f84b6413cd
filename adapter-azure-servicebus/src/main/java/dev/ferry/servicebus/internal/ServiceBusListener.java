package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import dev.ferry.Address;
import dev.ferry.Reasons;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.support.Settlements;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one entity with the SDK's processor ({@link ProcessorFactory}) in peek-lock mode: each
 * message read by the {@link ServiceBusDecoder}, decided by the runtime and settled as its {@link
 * Decision} says ({@link PeekLockSettlement}) once the handler returned. The SDK renews locks of
 * messages being handled, reconnects after a connection loss and resumes receiving on its own.
 * While the runtime's store does not answer, the message is held (its lock renewed) instead, so
 * that an outage does not use up Service Bus' delivery count.
 *
 * <p>Pause and close shut the {@link InFlightGate}: a message that arrives meanwhile is abandoned
 * once (without counting as a failed delivery) and its slot is parked, so the processor asks for
 * nothing more; close then waits for the handlers in flight and closes the processor.
 */
public final class ServiceBusListener implements Listener {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusListener.class);

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
   * @param maxBodySize the receive limit in bytes
   */
  public record Options(
      int prefetch,
      Duration maxLockRenewal,
      boolean sessions,
      Duration sessionIdleTimeout,
      Duration closeTimeout,
      Duration settleTimeout,
      int maxBodySize) {

    /** The same options for an entity that does or does not require sessions. */
    public Options withSessions(boolean value) {
      return new Options(
          prefetch,
          maxLockRenewal,
          value,
          sessionIdleTimeout,
          closeTimeout,
          settleTimeout,
          maxBodySize);
    }
  }

  private final ServiceBusClients clients;
  private final Address source;
  private final ListenerSettings settings;
  private final DeliveryHandler handler;
  private final Options options;
  private final ServiceBusDecoder decoder;
  private final PeekLockSettlement settlement;
  private final InFlightGate gate = new InFlightGate();
  private final ErrorLogThrottle errors;
  private final Object starting = new Object();
  private volatile ServiceBusProcessorClient processor;

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
    this.decoder = new ServiceBusDecoder(source, options.maxBodySize());
    this.settlement =
        new PeekLockSettlement(
            clients, source, entities, new SettleWatchdog(source, timer, options.settleTimeout()));
    this.errors = new ErrorLogThrottle(source);
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
   * Whether the entity exists. Throws when Service Bus cannot be reached, so that a bus starting
   * without a reachable namespace fails at start with the reason.
   */
  boolean entityExists() {
    return clients.exists(source);
  }

  /** Starts receiving, unless closed meanwhile. */
  void startProcessor() {
    synchronized (starting) {
      if (gate.closing() || processor != null) {
        return;
      }
      processor =
          ProcessorFactory.build(
              clients, source, settings.concurrency(), options, this::onMessage, this::onError);
      // Started under the lock, so that a concurrent close cannot close it before it starts.
      processor.start();
    }
    log.debug("Listening on {} ({})", source, options.sessions() ? "sessions" : "peek-lock");
  }

  boolean isClosed() {
    return gate.closing();
  }

  private void onMessage(ServiceBusReceivedMessageContext context) {
    if (!gate.enter()) {
      // Paused or closing: hand it back at once, uncounted, and hold the slot.
      settlement.abandonUncounted(context);
      gate.park();
      return;
    }
    try {
      handle(context);
    } finally {
      gate.exit();
    }
  }

  private void handle(ServiceBusReceivedMessageContext context) {
    InboundMessage m = InboundMessage.of(context.getMessage());
    if (decoder.isForAnotherSubscription(m)) {
      settlement.acknowledge(context);
      return;
    }
    Delivery delivery;
    try {
      delivery = decoder.decode(m);
    } catch (RuntimeException e) {
      // A body the decoder could not even keep (it keeps all it knows): Service Bus' own
      // dead-letter queue keeps the original as it is.
      log.error(
          "Cannot read message {} on {}; moving it to the dead-letter queue",
          m.messageId(),
          source,
          e);
      settlement.deadLetter(
          context, null, new Decision.DeadLetter(Reasons.MALFORMED_BODY, String.valueOf(e), true));
      return;
    }
    // While the runtime cannot work, the message is held (its lock renewed by the SDK) rather
    // than abandoned: Service Bus counts every delivery, up to MaxDeliveryCount.
    List<Decision> decisions =
        Settlements.decideHolding(handler, List.of(delivery), () -> !gate.closing(), holdLimit());
    try {
      Settlements.settle(List.of(context), List.of(delivery), decisions, settlement);
    } catch (Exception e) {
      log.warn("Could not settle {} on {}: {}", delivery.envelope().id(), source, e.toString());
    }
  }

  /** Held at most until shortly before the SDK stops renewing the message's lock. */
  private Duration holdLimit() {
    Duration limit = options.maxLockRenewal().minusSeconds(30);
    return limit.isNegative() ? Duration.ZERO : limit;
  }

  private void onError(ServiceBusErrorContext context) {
    if (!gate.closing()) {
      errors.report(context);
    }
  }

  @Override
  public Address source() {
    return source;
  }

  @Override
  public void pause() {
    gate.pause();
  }

  @Override
  public void resume() {
    gate.resume();
  }

  @Override
  public void close() {
    synchronized (starting) {
      // Under the start lock, so that a processor starting now is either closed below or not made.
      if (!gate.shut()) {
        return;
      }
    }
    int left = gate.awaitIdle(options.closeTimeout());
    if (left > 0) {
      log.warn(
          "Listener on {} still has {} handler(s) running after {}; closing anyway",
          source,
          left,
          options.closeTimeout());
    }
    try {
      if (processor != null) {
        processor.close();
      }
    } catch (RuntimeException e) {
      log.debug("Closing the processor of {} failed", source, e);
    } finally {
      gate.closed();
    }
  }
}
