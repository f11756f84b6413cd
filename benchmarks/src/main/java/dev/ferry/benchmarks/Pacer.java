package dev.ferry.benchmarks;

import java.util.concurrent.locks.LockSupport;

/** Spaces sends to offer a fixed rate; 0 means as fast as possible. */
final class Pacer {
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long sent;

  Pacer(int ratePerSecond) {
    this.intervalNanos = ratePerSecond <= 0 ? 0 : 1_000_000_000L / ratePerSecond;
  }

  /** Waits until the next message is due. */
  void next() {
    if (intervalNanos == 0) {
      return;
    }
    long due = start + sent++ * intervalNanos;
    long wait;
    while ((wait = due - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
