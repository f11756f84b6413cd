package dev.ferry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.functions.internal.InvocationListener;
import dev.ferry.servicebus.ReceivedMessage;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.support.NativeSettlement;
import dev.ferry.spi.support.Settlements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity a function is triggered by (a queue, or a topic's subscription), through which the
 * function hands its messages to Ferry:
 *
 * <pre>{@code
 * FerryFunctions.queue("orders.shipping")
 *     .handle(ServiceBusTrigger.message(body).messageId(messageId).deliveryCount(count)..., context);
 * }</pre>
 *
 * <p>The Functions host settles: it completes the message when the invocation returns and abandons
 * it when the invocation throws. So {@link #handle} returns when the message is done (handled, a
 * duplicate, expired, stored as a dead letter, or a retry copy was scheduled) and throws {@link
 * RedeliveryRequestedException} when Service Bus should deliver it again (an error policy's retry
 * with {@code ferry.errors.redelivery=transport}, the default in Functions, or a store that is
 * still down after {@code ferry.functions.store-outage-hold}: until then the invocation holds its
 * messages, so that an outage costs them no delivery). Before it returns or throws, what the
 * handlers sent is flushed to the broker.
 */
public final class ServiceBusTrigger {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusTrigger.class);

  /** How long an invocation waits before it asks again while Ferry's store is unavailable. */
  private static final Duration STORE_DOWN_PAUSE = Duration.ofSeconds(1);

  private final Supplier<FunctionsWorker> worker;
  private final Address entity;

  ServiceBusTrigger(Supplier<FunctionsWorker> worker, Address entity) {
    this.worker = worker;
    this.entity = entity;
  }

  /** A message from a trigger's {@code byte[]} payload ({@code dataType = "binary"}). */
  public static TriggerMessage message(byte[] body) {
    return new TriggerMessage(body);
  }

  /** A message from a trigger's {@code String} payload. */
  public static TriggerMessage message(String body) {
    return new TriggerMessage(body);
  }

  /** The messages of a batch trigger's {@code byte[][]} payload. */
  public static TriggerBatch batch(byte[][] bodies) {
    return new TriggerBatch(bodies);
  }

  /** The messages of a batch trigger's {@code String[]} payload. */
  public static TriggerBatch batch(String[] bodies) {
    return new TriggerBatch(bodies);
  }

  /** The entity, e.g. {@code servicebus:queue:orders.shipping}. */
  public Address entity() {
    return entity;
  }

  /**
   * Handles one message of a trigger with {@code cardinality = ONE} (the default).
   *
   * @throws RedeliveryRequestedException so that the host abandons the message for redelivery
   */
  public void handle(TriggerMessage message, ExecutionContext context) {
    handle(List.of(message.received()), context, false);
  }

  /**
   * Handles the messages of a trigger with {@code cardinality = MANY} in one unit of work where the
   * handlers allow it. The host settles a batch as a whole, so when one message must be delivered
   * again the invocation throws and all of them come back; the durable inbox then skips those
   * already handled (on an endpoint without it, they are handled again: use {@code
   * ferry.errors.redelivery=schedule} there, which retries by scheduled copies and completes).
   * Native dead letters ({@code ferry.dead-letter.native=true}) cannot work with batches: every
   * message of the batch would go to the dead-letter queue with the poisoned one.
   *
   * @throws RedeliveryRequestedException so that the host abandons the batch for redelivery
   */
  public void handleBatch(TriggerBatch batch, ExecutionContext context) {
    handle(batch.received(), context, true);
  }

  private void handle(List<ReceivedMessage> messages, ExecutionContext context, boolean batch) {
    FunctionsWorker w = worker.get();
    if (batch && w.nativeDeadLetter()) {
      throw new ConfigurationException(
          "ferry.dead-letter.native=true cannot be used with a batch trigger ("
              + entity
              + "): the host settles a batch as a whole, so the other messages of a batch would"
              + " follow a poisoned one into the dead-letter queue. Use Ferry's dead letters or"
              + " cardinality = ONE.");
    }
    InvocationListener listener = w.transport().listenerFor(entity);
    if (listener == null) {
      throw new RedeliveryRequestedException(
          "No handler of service '"
              + w.bus().serviceName()
              + "' listens on "
              + entity
              + " (invocation "
              + invocationId(context)
              + "); handlers listen on "
              + w.transport().entities()
              + ". Check the trigger's queue or subscription name and the handlers' routing.");
    }
    ServiceBusDecoder decoder = new ServiceBusDecoder(entity, w.maxBodySize());
    List<Delivery> deliveries = new ArrayList<>(messages.size());
    for (ReceivedMessage m : messages) {
      InboundMessage inbound = InboundMessage.of(m);
      if (decoder.isForAnotherSubscription(inbound)) {
        continue; // a retry or replay copy for another subscriber: complete it unhandled
      }
      Delivery d = decoder.decode(inbound);
      deliveries.add(batch ? d : inInvocationTrace(d, context));
    }
    if (deliveries.isEmpty()) {
      return;
    }
    HostSettlement settlement = new HostSettlement(context);
    w.beginInvocation();
    try {
      List<Decision> decisions =
          listener.decide(deliveries, () -> !w.closing(), w.storeOutageHold());
      Settlements.settle(deliveries, deliveries, decisions, settlement);
    } catch (Exception e) {
      settlement.redeliver(
          new RedeliveryRequestedException(
              "Ferry could not handle "
                  + describe(deliveries)
                  + " on "
                  + entity
                  + " ("
                  + e
                  + "); Service Bus will deliver it again",
              e));
    } finally {
      w.endInvocation(invocationId(context));
    }
    if (settlement.redeliver != null) {
      throw settlement.redeliver;
    }
  }

  /**
   * The host's settlement: it completes when the invocation returns and abandons when it throws,
   * for the whole invocation. So any message that must come back (a requeue, a native dead letter,
   * a batch the runtime could not handle) makes the invocation throw.
   */
  private final class HostSettlement implements NativeSettlement<Delivery> {
    private final ExecutionContext context;
    private RedeliveryRequestedException redeliver;

    HostSettlement(ExecutionContext context) {
      this.context = context;
    }

    void redeliver(RedeliveryRequestedException e) {
      if (redeliver == null) {
        redeliver = e;
      }
    }

    @Override
    public void acknowledge(Delivery d) {}

    @Override
    public void requeue(Delivery d, Delivery same, Decision.Requeue requeue) {
      log.debug(
          "Invocation {} asks Service Bus to redeliver {}",
          invocationId(context),
          d.envelope().id());
      redeliver(
          new RedeliveryRequestedException(
              "Message "
                  + d.envelope().id()
                  + " on "
                  + entity
                  + " failed "
                  + requeue.attempts()
                  + " time(s); its error policy retries it; Service Bus will deliver it again"));
    }

    @Override
    public void deadLetter(Delivery d, Delivery same, Decision.DeadLetter dl) {
      // The host cannot dead-letter: failing every delivery lets Service Bus move it to the
      // entity's dead-letter queue after MaxDeliveryCount deliveries.
      redeliver(
          new RedeliveryRequestedException(
              "Message "
                  + d.envelope().id()
                  + " is left to the native dead-letter queue of "
                  + entity
                  + " ("
                  + dl.reason()
                  + ": "
                  + dl.description()
                  + "); it fails until Service Bus moves it there"));
    }

    @Override
    public void redeliverAll(List<Delivery> all, Decision.RedeliverBatch again) {
      // An immediate redelivery would find the store down again and use up a delivery for
      // nothing; a short pause gives it a chance to come back.
      pause(again.pause().compareTo(STORE_DOWN_PAUSE) > 0 ? STORE_DOWN_PAUSE : again.pause());
      redeliver(
          new RedeliveryRequestedException(
              "Ferry could not handle "
                  + describe(all)
                  + " on "
                  + entity
                  + " ("
                  + again.cause()
                  + "); Service Bus will deliver it again"));
    }

    @Override
    public boolean hasNativeDeadLetter() {
      return true;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(List<Delivery> deliveries) {
    return deliveries.size() == 1
        ? "message " + deliveries.get(0).envelope().id()
        : deliveries.size() + " messages";
  }

  private static final java.util.regex.Pattern TRACEPARENT =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * The delivery as a part of the invocation's trace: the host runs an invocation under a span of
   * its own, a child of the message's trace context, so handling continues from that span. A batch
   * keeps each message's own context (one invocation span cannot be the parent of messages from
   * different traces), and so does a message when the host gives no valid trace context.
   */
  static Delivery inInvocationTrace(Delivery d, ExecutionContext context) {
    com.microsoft.azure.functions.TraceContext trace = context.getTraceContext();
    String parent = trace == null ? null : trace.getTraceparent();
    if (parent == null || !TRACEPARENT.matcher(parent).matches()) {
      return d;
    }
    return new Delivery(
        d.envelope().toBuilder().traceParent(parent).traceState(trace.getTracestate()).build(),
        d.source(),
        d.deliveryCount(),
        d.malformed(),
        d.oversizeBody());
  }

  static String invocationId(ExecutionContext context) {
    try {
      return context == null ? "?" : context.getInvocationId();
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
