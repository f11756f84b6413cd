package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;

/**
 * Sees what the runtime does with each message, for tracking in tests, metrics and tracing.
 * Callbacks run on the runtime's threads and must be quick and never throw.
 */
public interface MessageObserver {

  /**
   * A message is about to be sent ({@code send}, {@code publish}, {@code schedule}, a request, or a
   * cascade of a handler), on the sending thread, before it is stored. The returned scope may give
   * the envelope its own trace context (see {@link SendScope}); observers are asked in order, each
   * seeing the envelope as the previous ones left it.
   *
   * @param envelope the message as Ferry made it
   * @param destination where it goes
   */
  default SendScope sending(Envelope envelope, Address destination) {
    return SendScope.NONE;
  }

  /** The envelope was accepted for sending (stored in the outbox). */
  default void sent(OutgoingEnvelope outgoing) {}

  /** The transport accepted the envelope. */
  default void delivered(OutgoingEnvelope outgoing) {}

  /**
   * Opens a scope around one handling attempt: the handlers, their unit of work and its commit run
   * inside it, on the thread that opened it, which also closes it. Called after {@link #received}.
   */
  default HandlingScope around(Envelope envelope, Address endpoint, int attempt) {
    return HandlingScope.NONE;
  }

  /** A handler attempt is about to start. */
  default void received(Envelope envelope, Address endpoint, int attempt) {}

  /** The handlers ran and their unit of work committed. */
  default void handled(Envelope envelope, Address endpoint) {}

  /** A handler attempt failed. */
  default void failed(Envelope envelope, Address endpoint, Throwable failure, int attempt) {}

  /**
   * Dead-lettered: stored in Ferry's dead letters, or (with native dead letters) handed to the
   * transport's dead-letter queue, then the dead letter is the one that would have been stored.
   */
  default void deadLettered(DeadLetter deadLetter) {}

  /**
   * Dropped without handling, for a drop reason of {@link dev.ferry.Reasons}: expired, discarded by
   * policy, or a duplicate.
   */
  default void dropped(Envelope envelope, Address endpoint, String reason) {}
}
