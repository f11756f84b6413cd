package dev.ferry.functions;

import dev.ferry.servicebus.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message as a Service Bus trigger binds it: the payload, and the metadata the function
 * receives through {@code @BindingName} parameters, each set by name:
 *
 * <pre>{@code
 * ServiceBusTrigger.message(body)
 *     .messageId(messageId)             // @BindingName("MessageId")
 *     .deliveryCount(deliveryCount)     // @BindingName("DeliveryCount"), 1-based
 *     .sequenceNumber(sequenceNumber)   // @BindingName("SequenceNumber")
 *     .subject(subject)                 // @BindingName("Subject")
 *     .contentType(contentType)         // @BindingName("ContentType")
 *     .correlationId(correlationId)     // @BindingName("CorrelationId")
 *     .applicationProperties(props)     // @BindingName("ApplicationProperties")
 *     .enqueuedTimeUtc(enqueuedTimeUtc) // @BindingName("EnqueuedTimeUtc")
 * }</pre>
 *
 * <p>Ferry needs the payload, {@code MessageId} (or {@code SequenceNumber} for producers that set
 * none), {@code DeliveryCount} (without it every delivery looks like the first, and retries never
 * end in a dead letter), {@code Subject} (the message type) and {@code ApplicationProperties}
 * (Ferry's envelope); the rest when the producer sets them.
 */
public final class TriggerMessage {
  private static final Logger log = LoggerFactory.getLogger(TriggerMessage.class);

  private final byte[] body;
  private String messageId;
  private int deliveryCount = 1;
  private long sequenceNumber;
  private String subject;
  private String contentType;
  private String correlationId;
  private String replyTo;
  private String sessionId;
  private Map<String, Object> applicationProperties;
  private String enqueuedTimeUtc;

  TriggerMessage(byte[] body) {
    this.body = body;
  }

  TriggerMessage(String body) {
    this(body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  public TriggerMessage messageId(String messageId) {
    this.messageId = messageId;
    return this;
  }

  /** The host's count, 1-based: 1 on the first delivery. */
  public TriggerMessage deliveryCount(int deliveryCount) {
    if (deliveryCount < 1) {
      throw new IllegalArgumentException(
          "DeliveryCount is 1-based as the Functions host passes it, not " + deliveryCount);
    }
    this.deliveryCount = deliveryCount;
    return this;
  }

  public TriggerMessage sequenceNumber(long sequenceNumber) {
    this.sequenceNumber = sequenceNumber;
    return this;
  }

  public TriggerMessage subject(String subject) {
    this.subject = subject;
    return this;
  }

  public TriggerMessage contentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  public TriggerMessage correlationId(String correlationId) {
    this.correlationId = correlationId;
    return this;
  }

  public TriggerMessage replyTo(String replyTo) {
    this.replyTo = replyTo;
    return this;
  }

  public TriggerMessage sessionId(String sessionId) {
    this.sessionId = sessionId;
    return this;
  }

  public TriggerMessage applicationProperties(Map<String, Object> applicationProperties) {
    this.applicationProperties = applicationProperties;
    return this;
  }

  /** The host's text for the enqueue time: ISO-8601, as .NET writes a {@code DateTime}. */
  public TriggerMessage enqueuedTimeUtc(String enqueuedTimeUtc) {
    this.enqueuedTimeUtc = enqueuedTimeUtc;
    return this;
  }

  ReceivedMessage received() {
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
        sequenceNumber);
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
