package dev.ferry.spi.support;

import java.time.Duration;

/**
 * Lets a repeating problem be logged in full at most once per interval, counting the occurrences in
 * between: a broker or store that is away fails every poll and reconnect, and would flood the log.
 * Thread-safe.
 */
public final class LogThrottle {
  /** What not to log in full: {@link #next()} returns it. */
  public static final int QUIET = -1;

  private final long intervalNanos;
  private long lastFullNanos;
  private boolean logged;
  private int suppressed;

  public LogThrottle(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  /**
   * Records an occurrence: returns how many occurrences were not logged in full since the last one
   * that was, when this one is to be logged in full (the first, and the first after each interval),
   * else {@link #QUIET}.
   */
  public synchronized int next() {
    long now = System.nanoTime();
    if (!logged || now - lastFullNanos > intervalNanos) {
      logged = true;
      lastFullNanos = now;
      int before = suppressed;
      suppressed = 0;
      return before;
    }
    suppressed++;
    return QUIET;
  }
}
