package dev.ferry.testkit.servicebus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entities by path. Service Bus paths are case-insensitive ("orders/$DeadLetterQueue" and
 * "Orders/$deadletterqueue" are one queue), so lookups use lower case and entities keep the
 * spelling they were created with.
 */
final class EntityRegistry {

  private static final String DLQ = "/$deadletterqueue";
  private static final String TRANSFER_DLQ = "/$transfer/$deadletterqueue";
  private static final String SUBSCRIPTIONS = "/subscriptions/";

  private final Map<String, MessageQueue> queues = new LinkedHashMap<>();
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final boolean autoCreate;

  EntityRegistry(boolean autoCreate) {
    this.autoCreate = autoCreate;
  }

  MessageQueue createQueue(String name, EntitySettings settings) {
    String key = key(name);
    if (queues.containsKey(key) || topics.containsKey(key)) {
      throw new IllegalArgumentException("Entity already exists: " + name);
    }
    MessageQueue queue = MessageQueue.withSubQueues(name, settings);
    queues.put(key, queue);
    return queue;
  }

  Topic createTopic(String name, TopicSettings settings) {
    String key = key(name);
    if (queues.containsKey(key) || topics.containsKey(key)) {
      throw new IllegalArgumentException("Entity already exists: " + name);
    }
    Topic topic = new Topic(name, settings);
    topics.put(key, topic);
    return topic;
  }

  List<MessageQueue> queues() {
    return new ArrayList<>(queues.values());
  }

  List<Topic> topics() {
    return new ArrayList<>(topics.values());
  }

  /** Every receivable store except sub-queues, for timers and inspection. */
  List<MessageQueue> receivables() {
    List<MessageQueue> all = new ArrayList<>(queues.values());
    topics.values().forEach(topic -> all.addAll(topic.subscriptions()));
    return all;
  }

  /** A queue or a topic; sending to a subscription or a sub-queue is not allowed. */
  Object sendTarget(String address) {
    String path = normalise(address);
    String key = key(path);
    if (key.endsWith(DLQ) || key.contains(SUBSCRIPTIONS)) {
      throw new BrokerException(
          AmqpWire.NOT_ALLOWED, 400, "Cannot send to '" + path + "': only queues and topics.");
    }
    Topic topic = topics.get(key);
    if (topic != null) {
      return topic;
    }
    MessageQueue queue = queues.get(key);
    if (queue == null && autoCreate) {
      queue = createQueue(path, EntitySettings.defaults());
    }
    if (queue == null) {
      throw BrokerException.entityNotFound(path);
    }
    return queue;
  }

  /** A queue, a subscription or a dead-letter sub-queue of either. */
  MessageQueue receivable(String address) {
    String path = normalise(address);
    String key = key(path);
    if (key.endsWith(TRANSFER_DLQ)) {
      String base = path.substring(0, path.length() - TRANSFER_DLQ.length());
      return receivableBase(base, path).transferDeadLetterQueue;
    }
    if (key.endsWith(DLQ)) {
      String base = path.substring(0, path.length() - DLQ.length());
      return receivableBase(base, path).deadLetterQueue;
    }
    return receivableBase(path, path);
  }

  /** The queue or topic a management node belongs to. */
  Object managementTarget(String address) {
    String key = key(normalise(address));
    Topic topic = topics.get(key);
    return topic != null ? topic : receivable(address);
  }

  private MessageQueue receivableBase(String path, String requested) {
    String key = key(path);
    int split = key.indexOf(SUBSCRIPTIONS);
    if (split >= 0) {
      String topicName = path.substring(0, split);
      String subscriptionName = path.substring(split + SUBSCRIPTIONS.length());
      Topic topic = topics.get(key(topicName));
      if (topic == null && autoCreate && !queues.containsKey(key(topicName))) {
        topic = createTopic(topicName, TopicSettings.defaults());
      }
      MessageQueue subscription = topic == null ? null : topic.subscription(subscriptionName);
      if (subscription == null && topic != null && autoCreate) {
        subscription = topic.addSubscription(subscriptionName, EntitySettings.defaults());
      }
      if (subscription == null) {
        throw BrokerException.entityNotFound(requested);
      }
      return subscription;
    }
    MessageQueue queue = queues.get(key);
    if (queue == null && autoCreate && !topics.containsKey(key)) {
      queue = createQueue(path, EntitySettings.defaults());
    }
    if (queue == null) {
      throw topics.containsKey(key)
          ? new BrokerException(
              AmqpWire.NOT_ALLOWED, 400, "'" + path + "' is a topic; receive from a subscription.")
          : BrokerException.entityNotFound(requested);
    }
    return queue;
  }

  /** Link addresses are entity paths; tolerate a full URI or a leading slash all the same. */
  static String normalise(String address) {
    String path = address == null ? "" : address;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "" : path.substring(slash + 1);
    }
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path;
  }

  private static String key(String path) {
    return path.toLowerCase(Locale.ROOT);
  }
}
