package dev.ferry.testkit.servicebus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One receivable store: a queue, a subscription, or one of their dead-letter sub-queues. Messages
 * are kept in sequence-number order, which is the delivery order (and the order within a session).
 */
final class MessageQueue {

  final String path;
  final EntitySettings settings;
  final MessageQueue deadLetterQueue;
  final MessageQueue transferDeadLetterQueue;

  /** Consulted only when this store is a queue; a topic detects duplicates before fan-out. */
  final DuplicateDetector duplicates;

  private final NavigableMap<Long, StoredMessage> messages = new TreeMap<>();
  private final Map<String, SessionState> sessions = new HashMap<>();
  private long lastSequenceNumber;

  private MessageQueue(String path, EntitySettings settings, boolean withSubQueues) {
    this.path = path;
    this.settings = settings;
    this.duplicates = new DuplicateDetector(settings.duplicateDetectionWindow());
    if (withSubQueues) {
      // Sub-queues never expire, never dead-letter further, and are read without sessions.
      EntitySettings subQueue =
          EntitySettings.defaults()
              .withLockDuration(settings.lockDuration())
              .withMaxDeliveryCount(Integer.MAX_VALUE);
      this.deadLetterQueue = new MessageQueue(path + "/$deadletterqueue", subQueue, false);
      this.transferDeadLetterQueue =
          new MessageQueue(path + "/$Transfer/$deadletterqueue", subQueue, false);
    } else {
      this.deadLetterQueue = null;
      this.transferDeadLetterQueue = null;
    }
  }

  static MessageQueue withSubQueues(String path, EntitySettings settings) {
    return new MessageQueue(path, settings, true);
  }

  boolean isSubQueue() {
    return deadLetterQueue == null;
  }

  boolean requiresSession() {
    return settings.requiresSession() && !isSubQueue();
  }

  /** Queues and sub-queues number their own messages; subscriptions keep the topic's numbers. */
  long nextSequenceNumber() {
    return ++lastSequenceNumber;
  }

  void add(StoredMessage message) {
    messages.put(message.sequenceNumber, message);
  }

  StoredMessage get(long sequenceNumber) {
    return messages.get(sequenceNumber);
  }

  void remove(StoredMessage message) {
    messages.remove(message.sequenceNumber);
  }

  Collection<StoredMessage> messages() {
    return messages.values();
  }

  /**
   * The next message a receiver may get. With {@code sessionId} null it is any message (entities
   * without sessions); otherwise only that session's, so the session sees its messages in order.
   */
  StoredMessage nextAvailable(String sessionId, Instant now) {
    for (StoredMessage message : messages.values()) {
      if (message.isAvailable(now) && (sessionId == null || sessionId.equals(message.sessionId))) {
        return message;
      }
    }
    return null;
  }

  /** Peek order: everything still stored from a sequence number on, whatever its state. */
  List<StoredMessage> peek(long fromSequenceNumber, int count, String sessionId, Instant now) {
    List<StoredMessage> result = new ArrayList<>();
    for (StoredMessage message : messages.tailMap(fromSequenceNumber, true).values()) {
      if (result.size() == count) {
        break;
      }
      if (!message.isExpired(now) && (sessionId == null || sessionId.equals(message.sessionId))) {
        result.add(message);
      }
    }
    return result;
  }

  SessionState session(String sessionId) {
    return sessions.computeIfAbsent(sessionId, SessionState::new);
  }

  Collection<SessionState> sessions() {
    return sessions.values();
  }

  /** The unlocked session whose oldest available message is oldest, for accept-next-session. */
  String nextFreeSession(Instant now) {
    for (StoredMessage message : messages.values()) {
      if (message.sessionId != null && message.isAvailable(now)) {
        SessionState session = sessions.get(message.sessionId);
        if (session == null || !session.isLocked(now)) {
          return message.sessionId;
        }
      }
    }
    return null;
  }
}
