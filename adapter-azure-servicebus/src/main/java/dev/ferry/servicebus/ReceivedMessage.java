package dev.ferry.servicebus;

import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import java.time.Instant;
import java.util.Map;

/**
 * A Service Bus message that a host received on Ferry's behalf, given by its fields: the Azure
 * Functions host hands a trigger's payload and metadata ({@code MessageId}, {@code Subject}, {@code
 * ApplicationProperties}, ...) to the function instead of an SDK message. It reads as the same
 * envelope as a message Ferry's own listener receives ({@code docs/wire-format.md}).
 *
 * @param body the payload bytes (the first Data section, or a string body as UTF-8)
 * @param deliveryCount deliveries of this message including this one, 1-based, as the Functions
 *     host passes it (the Java SDK's own count is 0-based: add one)
 * @param applicationProperties the application properties; numbers may arrive as doubles when the
 *     host passed them through JSON
 * @param enqueuedTime when the broker accepted the message, or null
 * @param sequenceNumber the broker's sequence number, or 0 when unknown
 */
public record ReceivedMessage(
    byte[] body,
    String messageId,
    int deliveryCount,
    String subject,
    String contentType,
    String correlationId,
    String replyTo,
    String sessionId,
    Map<String, Object> applicationProperties,
    Instant enqueuedTime,
    long sequenceNumber) {

  public ReceivedMessage {
    body = body == null ? new byte[0] : body;
    applicationProperties = applicationProperties == null ? Map.of() : applicationProperties;
    deliveryCount = Math.max(1, deliveryCount);
  }

  /**
   * The envelope, read by the same decoder as a message Ferry's own listener receives. Missing
   * fields stay null (the pipeline dead-letters what it cannot handle).
   *
   * @throws MalformedMessageException when a property holds a value that cannot be read, or the
   *     message has neither a MessageId nor a SequenceNumber
   */
  public Envelope envelope() {
    return ServiceBusDecoder.envelope(InboundMessage.of(this));
  }

  @Override
  public String toString() {
    return "ReceivedMessage[messageId="
        + messageId
        + ", subject="
        + subject
        + ", deliveryCount="
        + deliveryCount
        + ", "
        + body.length
        + " bytes]";
  }
}
