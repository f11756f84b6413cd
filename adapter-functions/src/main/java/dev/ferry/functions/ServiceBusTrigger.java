package dev.ferry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.ferry.Address;
import dev.ferry.functions.internal.FunctionsTransport;
import dev.ferry.functions.internal.InvocationListener;
import dev.ferry.servicebus.ReceivedMessage;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.Settlement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity a function is triggered by (a queue, or a topic's subscription), through which the
 * function hands its messages to Ferry:
 *
 * <pre>{@code
 * FerryFunctions.queue("orders.shipping").handle(message, context);
 * }</pre>
 *
 * <p>The Functions host settles: it completes the message when the invocation returns and abandons
 * it when the invocation throws. So {@link #handle} returns when the message is done (handled, a
 * duplicate, expired, or stored as a dead letter, or a retry copy was scheduled) and throws {@link
 * RedeliveryRequestedException} when Service Bus should deliver it again (an error policy's retry
 * with {@code ferry.errors.redelivery=transport}, the default in Functions, or a store that is
 * down). Before it returns or throws, what the handlers sent is flushed to the broker.
 */
public final class ServiceBusTrigger {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusTrigger.class);

  private final FunctionsWorker worker;
  private final FunctionsTransport transport;
  private final Address entity;

  ServiceBusTrigger(FunctionsWorker worker, FunctionsTransport transport, Address entity) {
    this.worker = worker;
    this.transport = transport;
    this.entity = entity;
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
  public void handle(ReceivedMessage message, ExecutionContext context) {
    handleBatch(List.of(message), context);
  }

  /**
   * Handles the messages of a trigger with {@code cardinality = MANY} in one unit of work where the
   * handlers allow it. The host settles a batch as a whole, so when one message must be delivered
   * again the invocation throws and all of them come back; the durable inbox then skips those
   * already handled (on an endpoint without it, they are handled again: use {@code
   * ferry.errors.redelivery=schedule} there, which retries by scheduled copies and completes).
   *
   * @throws RedeliveryRequestedException so that the host abandons the batch for redelivery
   */
  public void handleBatch(List<ReceivedMessage> messages, ExecutionContext context) {
    InvocationListener listener = transport.listenerFor(entity);
    if (listener == null) {
      throw new RedeliveryRequestedException(
          "No handler of service '"
              + worker.bus().serviceName()
              + "' listens on "
              + entity
              + " (invocation "
              + invocationId(context)
              + "); handlers listen on "
              + transport.entities()
              + ". Check the trigger's queue or subscription name and the handlers' routing.");
    }
    List<Delivery> deliveries = new ArrayList<>(messages.size());
    for (ReceivedMessage m : messages) {
      if (meantForAnotherSubscription(m)) {
        continue; // a retry or replay copy for another subscriber: complete it unhandled
      }
      deliveries.add(delivery(m));
    }
    if (deliveries.isEmpty()) {
      return;
    }
    RedeliveryRequestedException redeliver = null;
    worker.beginInvocation();
    try {
      List<Settlement> settlements = listener.handle(deliveries);
      for (int i = 0; i < settlements.size(); i++) {
        Settlement s = settlements.get(i);
        if (s.outcome() != Settlement.Outcome.COMPLETE && redeliver == null) {
          redeliver = redeliveryFor(deliveries.get(i), s, context);
        }
      }
    } catch (RuntimeException | Error e) {
      redeliver =
          new RedeliveryRequestedException(
              "Ferry could not handle "
                  + describe(deliveries)
                  + " on "
                  + entity
                  + " ("
                  + e
                  + "); Service Bus will deliver it again",
              e);
    } finally {
      worker.endInvocation(invocationId(context));
    }
    if (redeliver != null) {
      throw redeliver;
    }
  }

  private boolean meantForAnotherSubscription(ReceivedMessage m) {
    if (entity.kind() != Address.Kind.SUBSCRIPTION) {
      return false;
    }
    String target = m.targetSubscription();
    return target != null && !target.equalsIgnoreCase(entity.subscription());
  }

  private Delivery delivery(ReceivedMessage m) {
    int count = m.deliveriesOfThisCopy();
    try {
      return new Delivery(m.envelope(), entity, count);
    } catch (RuntimeException e) {
      // Garbled properties: keep what identifies it; the pipeline dead-letters it with the reason.
      return new Delivery(m.bestEffortEnvelope(), entity, count, e.getMessage());
    }
  }

  private RedeliveryRequestedException redeliveryFor(
      Delivery d, Settlement s, ExecutionContext context) {
    String id = d.envelope().id();
    if (s.outcome() == Settlement.Outcome.DEAD_LETTER) {
      // The host cannot dead-letter: failing every delivery lets Service Bus move it to the
      // entity's dead-letter queue after MaxDeliveryCount deliveries.
      return new RedeliveryRequestedException(
          "Message "
              + id
              + " is left to the native dead-letter queue of "
              + entity
              + " ("
              + s.reason()
              + ": "
              + s.description()
              + "); it fails until Service Bus moves it there");
    }
    log.debug("Invocation {} asks Service Bus to redeliver {}", invocationId(context), id);
    return new RedeliveryRequestedException(
        "Message "
            + id
            + " on "
            + entity
            + (s.failedAttempts() < 0
                ? " could not be handled: Ferry's store is unavailable"
                : " failed " + s.failedAttempts() + " time(s); its error policy retries it")
            + "; Service Bus will deliver it again");
  }

  private static String describe(List<Delivery> deliveries) {
    return deliveries.size() == 1
        ? "message " + deliveries.get(0).envelope().id()
        : deliveries.size() + " messages";
  }

  static String invocationId(ExecutionContext context) {
    try {
      return context == null ? "?" : context.getInvocationId();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /**
   * A message as a trigger binds it with {@code dataType = "binary"}: the payload and the metadata
   * parameters ({@code @BindingName("MessageId")}, ...). {@code deliveryCount} is the host's,
   * 1-based; {@code enqueuedTimeUtc} is the text the host passes, ISO-8601, or null.
   */
  public static ReceivedMessage message(
      byte[] body,
      String messageId,
      int deliveryCount,
      String subject,
      String contentType,
      String correlationId,
      String replyTo,
      String sessionId,
      Map<String, Object> applicationProperties,
      String enqueuedTimeUtc) {
    return new ReceivedMessage(
        body,
        messageId,
        deliveryCount,
        subject,
        contentType,
        correlationId,
        replyTo,
        sessionId,
        applicationProperties,
        parseTime(enqueuedTimeUtc),
        0);
  }

  /**
   * As {@link #message(byte[], String, int, String, String, String, String, String, Map, String)}
   * for a {@code String} payload.
   */
  public static ReceivedMessage message(
      String body,
      String messageId,
      int deliveryCount,
      String subject,
      String contentType,
      String correlationId,
      String replyTo,
      String sessionId,
      Map<String, Object> applicationProperties,
      String enqueuedTimeUtc) {
    return message(
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        messageId,
        deliveryCount,
        subject,
        contentType,
        correlationId,
        replyTo,
        sessionId,
        applicationProperties,
        enqueuedTimeUtc);
  }

  /**
   * The messages of a batch trigger ({@code cardinality = MANY}): the payload array and the host's
   * {@code ...Array} metadata ({@code @BindingName("MessageIdArray")}, ...). Metadata arrays may be
   * null when not bound.
   */
  public static List<ReceivedMessage> messages(
      byte[][] bodies,
      String[] messageIds,
      int[] deliveryCounts,
      String[] subjects,
      String[] contentTypes,
      String[] correlationIds,
      String[] replyTos,
      String[] sessionIds,
      Map<String, Object>[] applicationProperties,
      String[] enqueuedTimesUtc) {
    List<ReceivedMessage> result = new ArrayList<>(bodies.length);
    for (int i = 0; i < bodies.length; i++) {
      result.add(
          message(
              bodies[i],
              at(messageIds, i),
              deliveryCounts == null || i >= deliveryCounts.length ? 1 : deliveryCounts[i],
              at(subjects, i),
              at(contentTypes, i),
              at(correlationIds, i),
              at(replyTos, i),
              at(sessionIds, i),
              at(applicationProperties, i),
              at(enqueuedTimesUtc, i)));
    }
    return result;
  }

  private static <T> T at(T[] values, int i) {
    return values == null || i >= values.length ? null : values[i];
  }

  /**
   * The host's text for a .NET {@code DateTime}: ISO-8601 with up to seven fractional digits, with
   * a zone or (unspecified kind) without one, which is UTC for EnqueuedTimeUtc.
   */
  static Instant parseTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException again) {
        log.debug("Ignoring an enqueued time that is not ISO-8601: '{}'", t);
        return null;
      }
    }
  }
}
