package dev.ferry.internal.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The circuit of one destination: it opens after {@code failuresToOpen} consecutive failed sends,
 * and while it is open lets one probe through per {@code probeInterval}; the first send that gets
 * through closes it. Thread-safe: every sender loop of the destination reports to it.
 */
final class CircuitBreaker {
  /** A failed send as the circuit counts it. */
  record Failure(int inARow, Duration backoff, boolean opened) {}

  private final int failuresToOpen;
  private final Duration probeInterval;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private volatile boolean open;
  private volatile Instant openedAt;
  private volatile long probeAtNanos;

  CircuitBreaker(int failuresToOpen, Duration probeInterval) {
    this.failuresToOpen = failuresToOpen;
    this.probeInterval = probeInterval;
  }

  boolean isOpen() {
    return open;
  }

  /** When the circuit opened, while it is open; null while it is closed. */
  Instant openedAt() {
    return open ? openedAt : null;
  }

  Duration probeInterval() {
    return probeInterval;
  }

  /**
   * When messages refused while the circuit is open should come back: at the next probe, else
   * {@code otherwise}.
   */
  Instant retryAt(Instant otherwise) {
    if (!open) {
      return otherwise;
    }
    Instant probe = Instant.now().plusNanos(Math.max(0, probeAtNanos - System.nanoTime()));
    return probe.isAfter(otherwise) ? probe : otherwise;
  }

  /** While open: whether a probe may go now; if so the next one is due an interval later. */
  synchronized boolean tryProbe() {
    if (System.nanoTime() < probeAtNanos) {
      return false;
    }
    probeAtNanos = System.nanoTime() + probeInterval.toNanos();
    return true;
  }

  /** A send got through; returns whether that closed the circuit. */
  boolean succeeded() {
    consecutiveFailures.set(0);
    if (open) {
      open = false;
      return true;
    }
    return false;
  }

  /**
   * A send failed: its messages should wait the returned backoff (50 ms doubling, at most the probe
   * interval), and the circuit opens if this failure was the one too many.
   */
  synchronized Failure failed() {
    int failures = consecutiveFailures.incrementAndGet();
    Duration backoff =
        Duration.ofMillis(Math.min(probeInterval.toMillis(), 50L << Math.min(failures, 10)));
    boolean opens = !open && failures >= failuresToOpen;
    if (opens) {
      openedAt = Instant.now();
      probeAtNanos = System.nanoTime() + probeInterval.toNanos();
      open = true;
    }
    return new Failure(failures, backoff, opens);
  }
}
