package dev.ferry.servicebus.internal;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import dev.ferry.servicebus.ReceivedMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A received Service Bus message as the one decoder reads it, whoever received it: Ferry's own
 * listener (an SDK message, {@link #of(ServiceBusReceivedMessage)}) or the Functions host (the
 * trigger's payload and metadata, {@link #of(ReceivedMessage)}). Only what the decoder reads.
 *
 * @param body the AMQP body as received (a host hands over its bytes as a Data section)
 * @param deliveryCount deliveries of this message including this one, 1-based
 * @param applicationProperties never null
 * @param enqueuedTime when the broker accepted it, or null
 * @param scheduledEnqueueTime when it was scheduled for, or null
 * @param sequenceNumber the broker's sequence number, or 0 when unknown
 */
public record InboundMessage(
    AmqpMessageBody body,
    String messageId,
    long deliveryCount,
    String subject,
    String contentType,
    String correlationId,
    String replyTo,
    String sessionId,
    Map<String, Object> applicationProperties,
    Instant enqueuedTime,
    Instant scheduledEnqueueTime,
    long sequenceNumber) {

  public InboundMessage {
    body = body == null ? AmqpMessageBody.fromData(new byte[0]) : body;
    applicationProperties = applicationProperties == null ? Map.of() : applicationProperties;
  }

  /** A message Ferry's listener (or the dead-letter drain) received with the SDK. */
  public static InboundMessage of(ServiceBusReceivedMessage m) {
    return new InboundMessage(
        m.getRawAmqpMessage().getBody(),
        m.getMessageId(),
        m.getDeliveryCount() + 1, // the Java SDK counts earlier deliveries only
        m.getSubject(),
        m.getContentType(),
        m.getCorrelationId(),
        m.getReplyTo(),
        m.getSessionId(),
        m.getApplicationProperties(),
        instant(m.getEnqueuedTime()),
        instant(m.getScheduledEnqueueTime()),
        m.getSequenceNumber());
  }

  /** A message the Functions host received, from the trigger's payload and metadata. */
  public static InboundMessage of(ReceivedMessage m) {
    return new InboundMessage(
        AmqpMessageBody.fromData(m.body()),
        m.messageId(),
        m.deliveryCount(),
        m.subject(),
        m.contentType(),
        m.correlationId(),
        m.replyTo(),
        m.sessionId(),
        m.applicationProperties(),
        m.enqueuedTime(),
        null,
        m.sequenceNumber());
  }

  /** The SDK gives the epoch for a time the broker did not set. */
  private static Instant instant(OffsetDateTime t) {
    return t == null || t.toInstant().equals(Instant.EPOCH) ? null : t.toInstant();
  }
}
