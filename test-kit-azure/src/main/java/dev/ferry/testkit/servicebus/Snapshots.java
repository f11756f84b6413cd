package dev.ferry.testkit.servicebus;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

/** Copies model state into the public snapshot records; runs on the reactor thread. */
final class Snapshots {

  private Snapshots() {}

  static EntitySnapshot of(Object entity) {
    if (entity instanceof Topic topic) {
      return new EntitySnapshot(topic.path, messages(topic.scheduled.values()), List.of());
    }
    MessageQueue queue = (MessageQueue) entity;
    List<MessageSnapshot> deadLetters =
        queue.deadLetterQueue == null ? List.of() : messages(queue.deadLetterQueue.messages());
    return new EntitySnapshot(queue.path, messages(queue.messages()), deadLetters);
  }

  private static List<MessageSnapshot> messages(Collection<StoredMessage> stored) {
    return stored.stream().map(Snapshots::message).toList();
  }

  private static MessageSnapshot message(StoredMessage stored) {
    Message message = stored.message();
    byte[] body = null;
    Object bodyValue = null;
    Section section = message.getBody();
    if (section instanceof Data data) {
      Binary binary = data.getValue();
      body = new byte[binary.getLength()];
      System.arraycopy(binary.getArray(), binary.getArrayOffset(), body, 0, body.length);
    } else if (section instanceof AmqpValue value) {
      bodyValue = value.getValue();
    } else if (section instanceof org.apache.qpid.proton.amqp.messaging.AmqpSequence sequence) {
      bodyValue = sequence.getValue();
    }
    Map<String, Object> annotations = new HashMap<>();
    MessageAnnotations sent = message.getMessageAnnotations();
    if (sent != null && sent.getValue() != null) {
      sent.getValue().forEach((key, value) -> annotations.put(key.toString(), value));
    }
    MessageLock lock = stored.lock;
    return new MessageSnapshot(
        stored.sequenceNumber,
        stored.messageId,
        stored.sessionId,
        message.getCorrelationId() == null ? null : message.getCorrelationId().toString(),
        message.getSubject(),
        message.getContentType(),
        body,
        bodyValue,
        Map.copyOf(withoutNulls(stored.applicationProperties())),
        Map.copyOf(withoutNulls(annotations)),
        stored.deliveryCount,
        stored.state,
        stored.enqueuedTime,
        stored.scheduledEnqueueTime,
        stored.expiresAt(),
        lock == null ? null : lock.token,
        lock == null ? null : lock.effectiveLockedUntil(),
        stored.deadLetterSource);
  }

  /** Map.copyOf refuses null values, which AMQP maps may hold. */
  private static Map<String, Object> withoutNulls(Map<String, Object> map) {
    Map<String, Object> copy = new HashMap<>(map);
    copy.values().removeIf(value -> value == null);
    return copy;
  }
}
