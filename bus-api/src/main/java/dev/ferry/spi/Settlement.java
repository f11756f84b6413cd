package dev.ferry.spi;

import java.time.Duration;

/**
 * How a transport settles a delivery.
 *
 * @param outcome complete, requeue or dead-letter
 * @param delay for a requeue, how long to wait before redelivery, if the transport can
 * @param reason for a native dead letter, the reason
 * @param description for a native dead letter, the details
 * @param failedAttempts for a requeue, the failed attempts so far; a transport that can change a
 *     message before redelivering it stores this as the envelope's {@code attempts} (and then
 *     counts deliveries afresh), so that the next delivery continues the error policy exactly
 */
public record Settlement(
    Outcome outcome, Duration delay, String reason, String description, int failedAttempts) {

  /** The settlement outcomes. */
  public enum Outcome {
    /** Acknowledge: the message is done (handled, duplicate, stored as a dead letter, ...). */
    COMPLETE,
    /** Give it back for redelivery. */
    REQUEUE,
    /** Move it to the transport's native dead-letter queue. */
    DEAD_LETTER
  }

  private static final Settlement COMPLETE = new Settlement(Outcome.COMPLETE, null, null, null, 0);

  public static Settlement complete() {
    return COMPLETE;
  }

  public static Settlement requeue(Duration delay, int failedAttempts) {
    return new Settlement(Outcome.REQUEUE, delay, null, null, failedAttempts);
  }

  public static Settlement deadLetter(String reason, String description) {
    return new Settlement(Outcome.DEAD_LETTER, null, reason, description, 0);
  }
}
