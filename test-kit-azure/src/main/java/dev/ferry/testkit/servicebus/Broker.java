package dev.ferry.testkit.servicebus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.message.Message;

/**
 * The message model: enqueue (with duplicate detection, scheduling, time to live and topic
 * fan-out), peek-locks and their settlement, dead-lettering and the timers. Protocol-free, so the
 * link handlers and the management node share one implementation of every rule. Only used on the
 * reactor thread.
 */
final class Broker {

  enum Settle {
    COMPLETE,
    ABANDON,
    DEFER,
    DEAD_LETTER,
    RELEASE
  }

  static final String MAX_DELIVERY_COUNT_EXCEEDED = "MaxDeliveryCountExceeded";
  static final String TTL_EXPIRED = "TTLExpiredException";

  final EntityRegistry registry;
  final OperationLog log;
  final Sessions sessions;
  private final Clock clock;
  private final Map<UUID, MessageLock> locks = new HashMap<>();

  Broker(EntityRegistry registry, OperationLog log, Clock clock) {
    this.registry = registry;
    this.log = log;
    this.clock = clock;
    this.sessions = new Sessions(this);
  }

  Instant now() {
    return clock.instant();
  }

  /** Stores what one transfer carried; every message is checked before any is stored. */
  void send(String address, List<Message> messages) {
    store(registry.sendTarget(address), messages);
  }

  /**
   * Stores messages given to schedule-message; they carry x-opt-scheduled-enqueue-time, and the
   * numbers returned are what cancel-scheduled-message takes.
   */
  List<Long> schedule(String address, List<Message> messages) {
    return store(registry.sendTarget(address), messages);
  }

  private List<Long> store(Object target, List<Message> messages) {
    for (Message message : messages) {
      if (target instanceof MessageQueue queue
          && queue.requiresSession()
          && (message.getGroupId() == null || message.getGroupId().isEmpty())) {
        throw new BrokerException(
            AmqpWire.ARGUMENT_ERROR,
            400,
            "The SessionId was not set on a message, and it cannot be sent to the entity '"
                + queue.path
                + "'. Entities that have session support enabled can only receive messages that"
                + " have the SessionId set to a valid value.");
      }
    }
    Instant now = now();
    List<Long> sequenceNumbers = new ArrayList<>();
    for (Message message : messages) {
      sequenceNumbers.add(enqueue(target, message, now));
    }
    return sequenceNumbers;
  }

  /**
   * Stores one message and returns its sequence number; a duplicate gets a number too but is
   * dropped, as the service acknowledges duplicates without keeping them.
   */
  private long enqueue(Object target, Message message, Instant now) {
    String messageId = message.getMessageId() == null ? null : message.getMessageId().toString();
    Instant scheduledAt = scheduledEnqueueTime(message);
    boolean scheduled = scheduledAt != null && scheduledAt.isAfter(now);
    MessageState state = scheduled ? MessageState.SCHEDULED : MessageState.AVAILABLE;
    Instant enqueued = scheduled ? null : now;
    if (target instanceof Topic topic) {
      long sequenceNumber = topic.nextSequenceNumber();
      if (topic.duplicates.isDuplicate(messageId, now)) {
        log.add("duplicate", topic.path, "id=" + messageId);
        return sequenceNumber;
      }
      StoredMessage stored = new StoredMessage(sequenceNumber, message, state, enqueued);
      stored.scheduledEnqueueTime = scheduledAt;
      stored.timeToLive = timeToLive(message, topic.settings.defaultTimeToLive());
      log.add("send", topic.path, "seq=" + sequenceNumber + " id=" + messageId);
      if (scheduled) {
        topic.scheduled.put(sequenceNumber, stored);
      } else {
        fanOut(topic, stored, now);
      }
      return sequenceNumber;
    }
    MessageQueue queue = (MessageQueue) target;
    long sequenceNumber = queue.nextSequenceNumber();
    if (queue.duplicates.isDuplicate(messageId, now)) {
      log.add("duplicate", queue.path, "id=" + messageId);
      return sequenceNumber;
    }
    StoredMessage stored = new StoredMessage(sequenceNumber, message, state, enqueued);
    stored.scheduledEnqueueTime = scheduledAt;
    stored.timeToLive = timeToLive(message, queue.settings.defaultTimeToLive());
    queue.add(stored);
    log.add("send", queue.path, "seq=" + sequenceNumber + " id=" + messageId);
    return sequenceNumber;
  }

  private void fanOut(Topic topic, StoredMessage message, Instant enqueued) {
    for (MessageQueue subscription : topic.subscriptions()) {
      if (!topic.admits(subscription, message.message())) {
        continue;
      }
      StoredMessage copy = message.copy(message.sequenceNumber, MessageState.AVAILABLE, enqueued);
      copy.timeToLive = shortest(message.timeToLive, subscription.settings.defaultTimeToLive());
      subscription.add(copy);
    }
  }

  /** Cancels scheduled messages; numbers that are not (or no longer) scheduled are ignored. */
  void cancelScheduled(Object target, List<Long> sequenceNumbers) {
    for (long sequenceNumber : sequenceNumbers) {
      boolean removed;
      String path;
      if (target instanceof Topic topic) {
        path = topic.path;
        removed = topic.scheduled.remove(sequenceNumber) != null;
      } else {
        MessageQueue queue = (MessageQueue) target;
        path = queue.path;
        StoredMessage message = queue.get(sequenceNumber);
        removed = message != null && message.state == MessageState.SCHEDULED;
        if (removed) {
          queue.remove(message);
        }
      }
      log.add("cancel-scheduled-message", path, "seq=" + sequenceNumber + " removed=" + removed);
    }
  }

  MessageLock lock(
      StoredMessage message,
      MessageQueue queue,
      ConsumerLink link,
      SessionState session,
      Instant now) {
    UUID token = UUID.randomUUID();
    Instant until = session != null ? session.lockedUntil : now.plus(queue.settings.lockDuration());
    MessageLock lock = new MessageLock(token, message, queue, session, link, until);
    message.state = MessageState.LOCKED;
    message.lock = lock;
    locks.put(token, lock);
    return lock;
  }

  /** The lock if it is still held; an expired lock found here is released on the spot. */
  MessageLock validLock(UUID token) {
    MessageLock lock = token == null ? null : locks.get(token);
    if (lock == null) {
      return null;
    }
    if (!lock.isValid(now())) {
      expire(lock);
      return null;
    }
    return lock;
  }

  Instant renewLock(UUID token) {
    MessageLock lock = validLock(token);
    if (lock == null) {
      log.add("lock-lost", "-", token);
      throw BrokerException.lockLost(token);
    }
    if (lock.session == null) {
      lock.lockedUntil = now().plus(lock.queue.settings.lockDuration());
    }
    log.add("renew-lock", lock.queue.path, token);
    return lock.effectiveLockedUntil();
  }

  void settle(
      MessageLock lock,
      Settle kind,
      String reason,
      String description,
      Map<String, Object> propertiesToModify) {
    locks.remove(lock.token);
    StoredMessage message = lock.message;
    MessageQueue queue = lock.queue;
    message.lock = null;
    message.putApplicationProperties(propertiesToModify);
    String name =
        switch (kind) {
          case COMPLETE -> "complete";
          case ABANDON -> "abandon";
          case DEFER -> "defer";
          case DEAD_LETTER -> "dead-letter";
          case RELEASE -> "release";
        };
    log.add(name, queue.path, lock.token);
    switch (kind) {
      case COMPLETE -> queue.remove(message);
      case ABANDON -> unlockAfterFailedDelivery(queue, message);
      case DEFER -> {
        message.deferred = true;
        message.state = MessageState.DEFERRED;
      }
      case DEAD_LETTER -> {
        if (queue.isSubQueue()) {
          unlock(message); // a dead letter cannot be dead-lettered again
        } else {
          deadLetter(queue, message, reason, description);
        }
      }
      case RELEASE -> unlock(message);
    }
  }

  /** Abandon and lock loss count as a failed delivery; enough of them dead-letter the message. */
  private void unlockAfterFailedDelivery(MessageQueue queue, StoredMessage message) {
    message.deliveryCount++;
    unlock(message);
    if (message.deliveryCount >= queue.settings.maxDeliveryCount() && !queue.isSubQueue()) {
      deadLetter(
          queue,
          message,
          MAX_DELIVERY_COUNT_EXCEEDED,
          "Message could not be consumed after "
              + queue.settings.maxDeliveryCount()
              + " delivery attempts.");
    }
  }

  private static void unlock(StoredMessage message) {
    message.lock = null;
    message.state = message.deferred ? MessageState.DEFERRED : MessageState.AVAILABLE;
  }

  void deadLetter(MessageQueue queue, StoredMessage message, String reason, String description) {
    queue.remove(message);
    MessageQueue deadLetters = queue.deadLetterQueue;
    StoredMessage dead =
        message.copy(deadLetters.nextSequenceNumber(), MessageState.AVAILABLE, now());
    dead.timeToLive = null;
    dead.deadLetterSource = queue.path;
    dead.enqueueSequenceNumber = message.sequenceNumber;
    Map<String, Object> reasons = new HashMap<>();
    if (reason != null) {
      reasons.put(AmqpWire.DEAD_LETTER_REASON, reason);
    }
    if (description != null) {
      reasons.put(AmqpWire.DEAD_LETTER_DESCRIPTION, description);
    }
    dead.putApplicationProperties(reasons);
    deadLetters.add(dead);
    log.add("dead-lettered", queue.path, "seq=" + message.sequenceNumber + " reason=" + reason);
  }

  void receiveAndDelete(MessageQueue queue, StoredMessage message) {
    queue.remove(message);
    log.add("receive-and-delete", queue.path, "seq=" + message.sequenceNumber);
  }

  /** A lock that ran out: the message is available again, one delivery count later. */
  void expire(MessageLock lock) {
    if (locks.remove(lock.token) == null) {
      return;
    }
    log.add("lock-expired", lock.queue.path, lock.token);
    unlockAfterFailedDelivery(lock.queue, lock.message);
  }

  /**
   * A link went away. Outside sessions the service keeps the locks until they expire (settling then
   * goes through $management); inside a session they end with the session lock.
   */
  void linkClosed(ConsumerLink link) {
    for (MessageLock lock : new ArrayList<>(locks.values())) {
      if (lock.link == link) {
        lock.link = null;
        lock.delivery = null;
        if (lock.session != null) {
          expire(lock);
        }
      }
    }
  }

  void releaseSessionLocks(SessionState session) {
    for (MessageLock lock : new ArrayList<>(locks.values())) {
      if (lock.session == session) {
        expire(lock);
      }
    }
  }

  /** Timers: scheduled messages become visible, messages expire, peek-locks run out. */
  void tick() {
    Instant now = now();
    for (Topic topic : registry.topics()) {
      while (!topic.scheduled.isEmpty()
          && !topic.scheduled.firstEntry().getValue().scheduledEnqueueTime.isAfter(now)) {
        StoredMessage due = topic.scheduled.pollFirstEntry().getValue();
        due.state = MessageState.AVAILABLE;
        due.enqueuedTime = due.scheduledEnqueueTime;
        fanOut(topic, due, due.scheduledEnqueueTime);
      }
      topic.duplicates.prune(now);
    }
    for (MessageQueue queue : registry.receivables()) {
      queue.duplicates.prune(now);
      for (StoredMessage message : new ArrayList<>(queue.messages())) {
        if (message.state == MessageState.SCHEDULED && !message.scheduledEnqueueTime.isAfter(now)) {
          message.state = MessageState.AVAILABLE;
          message.enqueuedTime = message.scheduledEnqueueTime;
        }
        boolean idle =
            message.state == MessageState.AVAILABLE || message.state == MessageState.DEFERRED;
        if (idle && message.isExpired(now)) {
          expireMessage(queue, message);
        }
      }
    }
    for (MessageLock lock : new ArrayList<>(locks.values())) {
      if (lock.session == null && !lock.isValid(now)) {
        expire(lock);
      }
    }
  }

  private void expireMessage(MessageQueue queue, StoredMessage message) {
    if (queue.settings.deadLetteringOnMessageExpiration()) {
      deadLetter(queue, message, TTL_EXPIRED, "The message expired and was dead lettered.");
    } else {
      queue.remove(message);
      log.add("expired", queue.path, "seq=" + message.sequenceNumber);
    }
  }

  private static Instant scheduledEnqueueTime(Message message) {
    MessageAnnotations annotations = message.getMessageAnnotations();
    if (annotations == null || annotations.getValue() == null) {
      return null;
    }
    Object value = annotations.getValue().get(AmqpWire.SCHEDULED_ENQUEUE_TIME);
    return value instanceof Date date ? date.toInstant() : null;
  }

  /** The message's own TTL (header ttl, ms) capped by the entity default, as the service does. */
  private static Duration timeToLive(Message message, Duration entityDefault) {
    Duration own = message.getTtl() > 0 ? Duration.ofMillis(message.getTtl()) : null;
    return shortest(own, entityDefault);
  }

  private static Duration shortest(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}
