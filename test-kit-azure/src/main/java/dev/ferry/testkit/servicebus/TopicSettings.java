package dev.ferry.testkit.servicebus;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a topic and its subscriptions. Duplicate detection and a default time to live belong
 * to the topic, as in Service Bus; everything about receiving belongs to each subscription. A
 * subscription without a rule receives every message; a rule is one SQL filter of the form Ferry
 * prints ({@link #withRule}).
 *
 * @param defaultTimeToLive time to live of messages that carry none; {@code null} means never
 * @param duplicateDetectionWindow how long a message id is remembered; {@code null} disables it
 * @param subscriptions subscription name to its settings, in creation order
 * @param rules subscription name to the SQL filter of its one rule, for those that have one
 */
public record TopicSettings(
    Duration defaultTimeToLive,
    Duration duplicateDetectionWindow,
    Map<String, EntitySettings> subscriptions,
    Map<String, String> rules) {

  public TopicSettings {
    subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
    rules = Map.copyOf(rules);
    rules.values().forEach(SqlRule::parse); // refuses a filter the double cannot evaluate
  }

  public static TopicSettings defaults() {
    return new TopicSettings(null, null, Map.of(), Map.of());
  }

  /**
   * Replaces the subscription's default rule (every message) by one SQL filter, of the form {@code
   * P IS NULL OR P = 'value'}.
   */
  public TopicSettings withRule(String subscription, String sqlFilter) {
    if (!subscriptions.containsKey(subscription)) {
      throw new IllegalArgumentException("no subscription " + subscription + " to give a rule");
    }
    Map<String, String> copy = new LinkedHashMap<>(rules);
    copy.put(subscription, sqlFilter);
    return new TopicSettings(defaultTimeToLive, duplicateDetectionWindow, subscriptions, copy);
  }

  public TopicSettings withSubscription(String name) {
    return withSubscription(name, EntitySettings.defaults());
  }

  public TopicSettings withSubscription(String name, EntitySettings settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Map<String, EntitySettings> copy = new LinkedHashMap<>(subscriptions);
    copy.put(name, settings);
    return new TopicSettings(defaultTimeToLive, duplicateDetectionWindow, copy, rules);
  }

  public TopicSettings withDefaultTimeToLive(Duration value) {
    return new TopicSettings(value, duplicateDetectionWindow, subscriptions, rules);
  }

  public TopicSettings withDuplicateDetectionWindow(Duration value) {
    return new TopicSettings(defaultTimeToLive, value, subscriptions, rules);
  }
}
