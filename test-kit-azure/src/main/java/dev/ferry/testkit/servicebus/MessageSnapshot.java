package dev.ferry.testkit.servicebus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A stored message as a test sees it: a copy, safe to keep after the double moves on.
 *
 * @param sequenceNumber the broker-assigned sequence number
 * @param messageId the sender's message id, as text
 * @param sessionId the session (AMQP group id), or null
 * @param correlationId the correlation id, as text, or null
 * @param subject the subject (AMQP subject, Service Bus label), or null
 * @param contentType the content type, or null
 * @param body the bytes of a Data body (what the SDK sends), or null for other body types
 * @param bodyValue the value of an AmqpValue body, the list of an AmqpSequence body, or null
 * @param applicationProperties the application properties, including dead-letter reason and
 *     description once dead-lettered
 * @param messageAnnotations the message annotations the sender set (broker annotations excluded)
 * @param deliveryCount earlier failed deliveries, as sent in the 0-based header delivery-count
 * @param state where the message stands
 * @param enqueuedTime when it became visible (null while scheduled)
 * @param scheduledEnqueueTime when a scheduled message becomes visible, or null
 * @param expiresAt when it expires, or null for never
 * @param lockToken the current lock token, or null
 * @param lockedUntil the current lock expiry, or null
 * @param deadLetterSource the entity a dead letter came from, or null
 */
public record MessageSnapshot(
    long sequenceNumber,
    String messageId,
    String sessionId,
    String correlationId,
    String subject,
    String contentType,
    byte[] body,
    Object bodyValue,
    Map<String, Object> applicationProperties,
    Map<String, Object> messageAnnotations,
    int deliveryCount,
    MessageState state,
    Instant enqueuedTime,
    Instant scheduledEnqueueTime,
    Instant expiresAt,
    UUID lockToken,
    Instant lockedUntil,
    String deadLetterSource) {

  @Override
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  /** The Data body as UTF-8, or the AmqpValue body's text. */
  public String bodyAsString() {
    if (body != null) {
      return new String(body, StandardCharsets.UTF_8);
    }
    return bodyValue == null ? null : bodyValue.toString();
  }

  public String deadLetterReason() {
    Object reason = applicationProperties.get(AmqpWire.DEAD_LETTER_REASON);
    return reason == null ? null : reason.toString();
  }

  public String deadLetterErrorDescription() {
    Object description = applicationProperties.get(AmqpWire.DEAD_LETTER_DESCRIPTION);
    return description == null ? null : description.toString();
  }

  @Override
  public String toString() {
    return "MessageSnapshot[seq="
        + sequenceNumber
        + ", id="
        + messageId
        + ", state="
        + state
        + ", deliveryCount="
        + deliveryCount
        + ", body="
        + bodyAsString()
        + "]";
  }
}
