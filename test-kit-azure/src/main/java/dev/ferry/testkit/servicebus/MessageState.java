package dev.ferry.testkit.servicebus;

/** Where a stored message stands. Dead-lettered messages live in the dead-letter sub-queue. */
public enum MessageState {
  /** Visible and waiting for a receiver. */
  AVAILABLE,
  /** Delivered in peek-lock mode and not yet settled. */
  LOCKED,
  /** Set aside by the receiver; only receivable by sequence number. */
  DEFERRED,
  /** Not visible until its scheduled enqueue time. */
  SCHEDULED
}
