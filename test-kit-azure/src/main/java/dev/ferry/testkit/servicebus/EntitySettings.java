package dev.ferry.testkit.servicebus;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a queue or a topic subscription, mirroring the Service Bus properties of the same
 * name. Defaults are the service's: 60 s lock, 10 deliveries, no expiry, no sessions, no duplicate
 * detection, no dead-lettering on expiry.
 *
 * @param lockDuration how long a peek-lock (or a session lock) lasts before it is lost
 * @param maxDeliveryCount deliveries after which an abandoned message is dead-lettered
 * @param defaultTimeToLive time to live of messages that carry none (or a longer one); {@code null}
 *     means never
 * @param requiresSession whether receivers must lock a session and senders must set a session id
 * @param duplicateDetectionWindow how long a message id is remembered; {@code null} disables it
 * @param deadLetteringOnMessageExpiration whether expired messages go to the dead-letter queue
 *     instead of being dropped
 */
public record EntitySettings(
    Duration lockDuration,
    int maxDeliveryCount,
    Duration defaultTimeToLive,
    boolean requiresSession,
    Duration duplicateDetectionWindow,
    boolean deadLetteringOnMessageExpiration) {

  public EntitySettings {
    Objects.requireNonNull(lockDuration, "lockDuration");
    if (lockDuration.isNegative() || lockDuration.isZero()) {
      throw new IllegalArgumentException("lockDuration must be positive");
    }
    if (maxDeliveryCount < 1) {
      throw new IllegalArgumentException("maxDeliveryCount must be at least 1");
    }
  }

  public static EntitySettings defaults() {
    return new EntitySettings(Duration.ofSeconds(60), 10, null, false, null, false);
  }

  public EntitySettings withLockDuration(Duration value) {
    return new EntitySettings(
        value,
        maxDeliveryCount,
        defaultTimeToLive,
        requiresSession,
        duplicateDetectionWindow,
        deadLetteringOnMessageExpiration);
  }

  public EntitySettings withMaxDeliveryCount(int value) {
    return new EntitySettings(
        lockDuration,
        value,
        defaultTimeToLive,
        requiresSession,
        duplicateDetectionWindow,
        deadLetteringOnMessageExpiration);
  }

  public EntitySettings withDefaultTimeToLive(Duration value) {
    return new EntitySettings(
        lockDuration,
        maxDeliveryCount,
        value,
        requiresSession,
        duplicateDetectionWindow,
        deadLetteringOnMessageExpiration);
  }

  public EntitySettings withRequiresSession(boolean value) {
    return new EntitySettings(
        lockDuration,
        maxDeliveryCount,
        defaultTimeToLive,
        value,
        duplicateDetectionWindow,
        deadLetteringOnMessageExpiration);
  }

  public EntitySettings withDuplicateDetectionWindow(Duration value) {
    return new EntitySettings(
        lockDuration,
        maxDeliveryCount,
        defaultTimeToLive,
        requiresSession,
        value,
        deadLetteringOnMessageExpiration);
  }

  public EntitySettings withDeadLetteringOnMessageExpiration(boolean value) {
    return new EntitySettings(
        lockDuration,
        maxDeliveryCount,
        defaultTimeToLive,
        requiresSession,
        duplicateDetectionWindow,
        value);
  }
}
