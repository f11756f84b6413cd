package dev.ferry.servicebus.testing;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a topic and its subscriptions. Duplicate detection and a default time to live belong
 * to the topic, as in Service Bus; everything about receiving belongs to each subscription.
 * Subscription rules are not modelled: every subscription receives every message.
 *
 * @param defaultTimeToLive time to live of messages that carry none; {@code null} means never
 * @param duplicateDetectionWindow how long a message id is remembered; {@code null} disables it
 * @param subscriptions subscription name to its settings, in creation order
 */
public record TopicSettings(
    Duration defaultTimeToLive,
    Duration duplicateDetectionWindow,
    Map<String, EntitySettings> subscriptions) {

  public TopicSettings {
    subscriptions = Collections.unmodifiableMap(new LinkedHashMap<>(subscriptions));
  }

  public static TopicSettings defaults() {
    return new TopicSettings(null, null, Map.of());
  }

  public TopicSettings withSubscription(String name) {
    return withSubscription(name, EntitySettings.defaults());
  }

  public TopicSettings withSubscription(String name, EntitySettings settings) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(settings, "settings");
    Map<String, EntitySettings> copy = new LinkedHashMap<>(subscriptions);
    copy.put(name, settings);
    return new TopicSettings(defaultTimeToLive, duplicateDetectionWindow, copy);
  }

  public TopicSettings withDefaultTimeToLive(Duration value) {
    return new TopicSettings(value, duplicateDetectionWindow, subscriptions);
  }

  public TopicSettings withDuplicateDetectionWindow(Duration value) {
    return new TopicSettings(defaultTimeToLive, value, subscriptions);
  }
}
