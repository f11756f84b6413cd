package dev.ferry.testkit.servicebus;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A topic: it assigns sequence numbers, detects duplicates, holds scheduled messages until their
 * time, and then copies each message into every subscription whose rule admits it.
 */
final class Topic {

  final String path;
  final TopicSettings settings;
  final DuplicateDetector duplicates;
  final NavigableMap<Long, StoredMessage> scheduled = new TreeMap<>();
  private final Map<String, MessageQueue> subscriptions = new LinkedHashMap<>();
  private final Map<MessageQueue, SqlRule> rules = new HashMap<>();
  private long lastSequenceNumber;

  Topic(String path, TopicSettings settings) {
    this.path = path;
    this.settings = settings;
    this.duplicates = new DuplicateDetector(settings.duplicateDetectionWindow());
    settings.subscriptions().forEach(this::addSubscription);
    settings.rules().forEach((name, sql) -> rules.put(subscription(name), SqlRule.parse(sql)));
  }

  /** Whether the subscription's rule lets the message in (true without a rule). */
  boolean admits(MessageQueue subscription, org.apache.qpid.proton.message.Message message) {
    SqlRule rule = rules.get(subscription);
    return rule == null || rule.admits(message);
  }

  MessageQueue addSubscription(String name, EntitySettings subscriptionSettings) {
    MessageQueue subscription =
        MessageQueue.withSubQueues(path + "/subscriptions/" + name, subscriptionSettings);
    subscriptions.put(name.toLowerCase(Locale.ROOT), subscription);
    return subscription;
  }

  MessageQueue subscription(String name) {
    return subscriptions.get(name.toLowerCase(Locale.ROOT));
  }

  Collection<MessageQueue> subscriptions() {
    return subscriptions.values();
  }

  long nextSequenceNumber() {
    return ++lastSequenceNumber;
  }
}
