package dev.ferry.testkit.servicebus;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Header;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.message.Message;

/**
 * A message held by one entity. The AMQP message is kept as the sender sent it; broker annotations
 * (sequence number, times, lock) are added afresh on every delivery, so nothing the broker adds
 * leaks back into storage. State is only touched on the reactor thread.
 */
final class StoredMessage {

  final long sequenceNumber;
  final String messageId;
  final String sessionId;
  private final Message message;

  MessageState state;
  Instant enqueuedTime;
  Instant scheduledEnqueueTime;

  /** Effective time to live, or null for never; the expiry clock starts at enqueue time. */
  Duration timeToLive;

  /** Failed deliveries so far; sent as the 0-based header delivery-count. */
  int deliveryCount;

  MessageLock lock;

  /** Once deferred, a message returns to DEFERRED (not AVAILABLE) when its lock ends. */
  boolean deferred;

  String deadLetterSource;
  Long enqueueSequenceNumber;

  StoredMessage(long sequenceNumber, Message message, MessageState state, Instant enqueuedTime) {
    this.sequenceNumber = sequenceNumber;
    this.message = message;
    this.messageId = message.getMessageId() == null ? null : message.getMessageId().toString();
    this.sessionId = message.getGroupId();
    this.state = state;
    this.enqueuedTime = enqueuedTime;
  }

  /** A copy for another entity (a subscription, a dead-letter queue), with its own state. */
  StoredMessage copy(long newSequenceNumber, MessageState newState, Instant newEnqueuedTime) {
    Message clone = AmqpWire.decode(AmqpWire.encode(message));
    StoredMessage copy = new StoredMessage(newSequenceNumber, clone, newState, newEnqueuedTime);
    copy.deliveryCount = deliveryCount;
    copy.timeToLive = timeToLive;
    copy.scheduledEnqueueTime = scheduledEnqueueTime;
    return copy;
  }

  Instant expiresAt() {
    return timeToLive == null || enqueuedTime == null ? null : enqueuedTime.plus(timeToLive);
  }

  boolean isExpired(Instant now) {
    Instant expiresAt = expiresAt();
    return expiresAt != null && !expiresAt.isAfter(now);
  }

  boolean isAvailable(Instant now) {
    return state == MessageState.AVAILABLE && !isExpired(now);
  }

  Map<String, Object> applicationProperties() {
    ApplicationProperties properties = message.getApplicationProperties();
    return properties == null || properties.getValue() == null
        ? Map.of()
        : new HashMap<>(properties.getValue());
  }

  /** Service Bus applies properties-to-modify (abandon, defer, dead-letter) to these. */
  void putApplicationProperties(Map<String, Object> changes) {
    if (changes == null || changes.isEmpty()) {
      return;
    }
    Map<String, Object> properties = new HashMap<>(applicationProperties());
    properties.putAll(changes);
    message.setApplicationProperties(new ApplicationProperties(properties));
  }

  Message message() {
    return message;
  }

  /**
   * The message as a receiver sees it: the sender's sections plus the broker's annotations. The
   * header delivery-count is the raw number of earlier failed deliveries, 0 on the first delivery,
   * as the service sends it; the Java SDK passes it through unchanged.
   */
  byte[] encodeForReceiver(Instant lockedUntil, boolean withState) {
    Header header = new Header();
    Header sent = message.getHeader();
    if (sent != null) {
      header.setDurable(sent.getDurable());
      header.setPriority(sent.getPriority());
    }
    header.setDeliveryCount(UnsignedInteger.valueOf(deliveryCount));
    if (timeToLive != null) {
      header.setTtl(UnsignedInteger.valueOf(Math.min(timeToLive.toMillis(), 0xFFFF_FFFFL)));
    }
    Map<Symbol, Object> annotations = new HashMap<>();
    MessageAnnotations sentAnnotations = message.getMessageAnnotations();
    if (sentAnnotations != null && sentAnnotations.getValue() != null) {
      annotations.putAll(sentAnnotations.getValue());
    }
    annotations.put(AmqpWire.SEQUENCE_NUMBER, sequenceNumber);
    // A scheduled message (only ever peeked) shows its scheduled time, as the service does.
    Instant shownEnqueuedTime = enqueuedTime != null ? enqueuedTime : scheduledEnqueueTime;
    annotations.put(AmqpWire.ENQUEUED_TIME, AmqpWire.date(shownEnqueuedTime));
    if (lockedUntil != null) {
      annotations.put(AmqpWire.LOCKED_UNTIL, AmqpWire.date(lockedUntil));
    }
    if (deadLetterSource != null) {
      annotations.put(AmqpWire.DEAD_LETTER_SOURCE, deadLetterSource);
    }
    if (enqueueSequenceNumber != null) {
      annotations.put(AmqpWire.ENQUEUE_SEQUENCE_NUMBER, enqueueSequenceNumber);
    }
    if (withState) {
      annotations.put(AmqpWire.MESSAGE_STATE, stateCode());
    }
    Message out =
        Proton.message(
            header,
            null,
            new MessageAnnotations(annotations),
            message.getProperties(),
            message.getApplicationProperties(),
            message.getBody(),
            message.getFooter());
    return AmqpWire.encode(out);
  }

  /** ServiceBusMessageState: 0 active, 1 deferred, 2 scheduled. */
  private int stateCode() {
    return switch (state) {
      case DEFERRED -> 1;
      case SCHEDULED -> 2;
      default -> 0;
    };
  }
}
