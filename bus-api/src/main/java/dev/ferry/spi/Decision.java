package dev.ferry.spi;

import java.time.Duration;

/**
 * What happens to one received message, decided once by the runtime (its pipeline and error policy)
 * from the delivery and its history. A transport only carries a decision out on its broker, through
 * {@link dev.ferry.spi.support.Settlements}, which is the one mapping of decisions onto native
 * settlements.
 *
 * <p>Attempts: {@link Requeue#attempts()} is the number of failed handling attempts of the message
 * so far, the same count as {@link Delivery#priorAttempts()} of its next delivery and as {@link
 * dev.ferry.DeadLetter#attempts()}; see {@link Delivery#priorAttempts()}.
 */
public sealed interface Decision {

  /** Acknowledge: handled, stored as one of Ferry's dead letters, or a retry copy was scheduled. */
  static Decision complete() {
    return Complete.INSTANCE;
  }

  /** Acknowledge without handling, for a reason of {@link dev.ferry.Reasons}. */
  static Decision drop(String reason) {
    return new Drop(reason);
  }

  /** Deliver this message again after {@code delay}, carrying its failed {@code attempts}. */
  static Decision requeue(Duration delay, int attempts) {
    return new Requeue(delay, attempts);
  }

  /**
   * The runtime could not work on the call (its store is down, say): every delivery of the call is
   * to be delivered again, and the redelivery is not a handling attempt.
   */
  static Decision redeliverBatch(Duration pause, String cause) {
    return new RedeliverBatch(pause, cause);
  }

  /** Stored as one of Ferry's dead letters (with the failure): acknowledge. */
  static Decision deadLettered(String reason, String description) {
    return new DeadLetter(reason, description, false);
  }

  /** Move the message to the transport's native dead-letter queue. */
  static Decision deadLetterNatively(String reason, String description) {
    return new DeadLetter(reason, description, true);
  }

  /** Whether the transport acknowledges the message: the runtime is done with it. */
  default boolean acknowledges() {
    return this instanceof Complete
        || this instanceof Drop
        || (this instanceof DeadLetter d && !d.nativeQueue());
  }

  /** Done: acknowledge. */
  enum Complete implements Decision {
    INSTANCE
  }

  /**
   * Done without handling: acknowledge.
   *
   * @param reason one of the drop reasons of {@link dev.ferry.Reasons}
   */
  record Drop(String reason) implements Decision {}

  /**
   * Deliver again.
   *
   * @param delay how long to wait first (zero: at once); a transport without delayed redelivery
   *     redelivers at once
   * @param attempts the failed handling attempts so far; a transport that can change a message
   *     before redelivering it writes this as the envelope's {@code attempts} and counts deliveries
   *     afresh, so that the next delivery continues the error policy exactly
   */
  record Requeue(Duration delay, int attempts) implements Decision {
    public Requeue {
      delay = delay == null || delay.isNegative() ? Duration.ZERO : delay;
      if (attempts < 1) {
        throw new IllegalArgumentException("a requeue follows a failed attempt: " + attempts);
      }
    }
  }

  /**
   * Deliver every message of the call again, without counting it as an attempt.
   *
   * @param pause how long the transport should wait before it takes them again
   * @param cause what the runtime could not do, for the log
   */
  record RedeliverBatch(Duration pause, String cause) implements Decision {
    public RedeliverBatch {
      pause = pause == null || pause.isNegative() ? Duration.ZERO : pause;
    }
  }

  /**
   * Dead-lettered: either already stored in Ferry's dead letters (acknowledge), or to be moved to
   * the transport's native dead-letter queue (only when it has one and it was configured).
   *
   * @param reason one of the dead-letter reasons of {@link dev.ferry.Reasons}
   * @param description the failure
   * @param nativeQueue whether the transport moves it to its native dead-letter queue
   */
  record DeadLetter(String reason, String description, boolean nativeQueue) implements Decision {}
}
