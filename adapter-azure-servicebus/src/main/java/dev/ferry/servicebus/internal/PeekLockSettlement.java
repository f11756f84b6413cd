package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.models.AbandonOptions;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.support.NativeSettlement;
import dev.ferry.spi.support.WireNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service Bus settlement of one message in peek-lock mode: complete; dead-letter natively with
 * reason and description; requeue by abandoning with the failed attempts written into the message
 * (abandon may modify application properties), or, with a delay, by scheduling a copy carrying them
 * and completing the original; a redelivery after a failure of the runtime itself is an abandon
 * that moves the delivery base along, so that it does not count as an attempt.
 */
final class PeekLockSettlement implements NativeSettlement<ServiceBusReceivedMessageContext> {
  // Under the listener's name: what operators filter and alert on for a listener.
  private static final Logger log = LoggerFactory.getLogger(ServiceBusListener.class);

  /** Longest pause before abandoning after the runtime's own failure (the store is down, say). */
  private static final Duration MAX_INFRASTRUCTURE_BACKOFF = Duration.ofSeconds(5);

  /** Service Bus' limit for the dead-letter reason and description. */
  private static final int MAX_PROPERTY_TEXT = 4096;

  private final ServiceBusClients clients;
  private final Address source;
  private final Entities entities;
  private final SettleWatchdog watchdog;

  PeekLockSettlement(
      ServiceBusClients clients, Address source, Entities entities, SettleWatchdog watchdog) {
    this.clients = clients;
    this.source = source;
    this.entities = entities;
    this.watchdog = watchdog;
  }

  @Override
  public void acknowledge(ServiceBusReceivedMessageContext context) {
    watchdog.settle("complete", context.getMessage(), context::complete);
  }

  @Override
  public void requeue(
      ServiceBusReceivedMessageContext context, Delivery d, Decision.Requeue requeue) {
    ServiceBusReceivedMessage m = context.getMessage();
    Duration delay = requeue.delay();
    if (!delay.isZero()) {
      try {
        sendCopy(d.envelope(), requeue.attempts(), delay);
        acknowledge(context);
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
            WireNames.ATTEMPTS,
            requeue.attempts(),
            ServiceBusWireFormat.DELIVERY_BASE,
            (int) Math.min(Integer.MAX_VALUE, m.getDeliveryCount() + 1));
    watchdog.settle(
        "abandon", m, () -> context.abandon(new AbandonOptions().setPropertiesToModify(modified)));
  }

  @Override
  public void deadLetter(
      ServiceBusReceivedMessageContext context, Delivery d, Decision.DeadLetter dl) {
    watchdog.settle(
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
    sleep(pause.compareTo(MAX_INFRASTRUCTURE_BACKOFF) > 0 ? MAX_INFRASTRUCTURE_BACKOFF : pause);
    contexts.forEach(this::abandonUncounted);
  }

  @Override
  public boolean hasNativeDeadLetter() {
    return true;
  }

  /** Abandons a message so that this delivery does not count as an attempt. */
  void abandonUncounted(ServiceBusReceivedMessageContext context) {
    ServiceBusReceivedMessage m = context.getMessage();
    Object base = m.getApplicationProperties().get(ServiceBusWireFormat.DELIVERY_BASE);
    int next = (base instanceof Number n ? n.intValue() : 0) + 1;
    watchdog.settle(
        "abandon",
        m,
        () ->
            context.abandon(
                new AbandonOptions()
                    .setPropertiesToModify(Map.of(ServiceBusWireFormat.DELIVERY_BASE, next))));
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
}
