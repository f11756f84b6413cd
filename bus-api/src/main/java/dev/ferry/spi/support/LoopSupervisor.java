package dev.ferry.spi.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervision of one long-running loop (a listener's consumer, a sender, the relay): a round that
 * fails unexpectedly, with any {@link Throwable}, is logged, counted and followed by a backoff, and
 * the loop goes on. A loop therefore never ends silently; only closing it ends it.
 *
 * <pre>{@code
 * while (running) {
 *   try {
 *     oneRound();
 *     supervisor.succeeded();
 *   } catch (InterruptedException e) {
 *     throw e;
 *   } catch (Throwable t) {
 *     supervisor.failed(t); // logs, counts, sleeps the backoff
 *   }
 * }
 * }</pre>
 */
public final class LoopSupervisor {
  private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);
  private static final AtomicLong TOTAL = new AtomicLong();

  /**
   * The first pause after a failure; it doubles per failure in a row up to {@link #MAX_BACKOFF}.
   */
  public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

  public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final String loop;
  private final AtomicLong restarts = new AtomicLong();
  private int failuresInARow;

  /** Supervises the loop named {@code loop} (named in the log). */
  public LoopSupervisor(String loop) {
    this.loop = loop;
  }

  /** Restarts of every supervised loop in this JVM since it started. */
  public static long totalRestarts() {
    return TOTAL.get();
  }

  /** Restarts of this loop. */
  public long restarts() {
    return restarts.get();
  }

  /** A round went well: the next failure starts the backoff afresh. */
  public void succeeded() {
    failuresInARow = 0;
  }

  /**
   * A round failed unexpectedly: logs it (in full for the first of a series, then every 20th),
   * counts it, and waits the backoff before the loop goes on.
   *
   * @throws InterruptedException when interrupted while waiting: the loop is being closed
   */
  public void failed(Throwable failure) throws InterruptedException {
    restarts.incrementAndGet();
    TOTAL.incrementAndGet();
    failuresInARow = Math.min(failuresInARow + 1, 30);
    Duration backoff = backoff(failuresInARow);
    if (failuresInARow == 1 || failuresInARow % 20 == 0) {
      log.error(
          "Loop {} failed ({} in a row); it goes on in {} ms",
          loop,
          failuresInARow,
          backoff.toMillis(),
          failure);
    } else {
      log.warn("Loop {} failed again ({} in a row): {}", loop, failuresInARow, failure.toString());
    }
    Thread.sleep(backoff.toMillis());
  }

  static Duration backoff(int failuresInARow) {
    long ms = FIRST_BACKOFF.toMillis() << Math.min(Math.max(0, failuresInARow - 1), 10);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  /**
   * A task for a scheduler that never throws: a periodic task that throws is never run again by a
   * {@link java.util.concurrent.ScheduledExecutorService}, so its failures are logged and counted
   * here instead (without the backoff: its schedule is its pace).
   */
  public static Runnable task(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable t) { // NOPMD: a periodic task must survive anything
        TOTAL.incrementAndGet();
        log.error("Task {} failed; it runs again on its schedule", name, t);
      }
    };
  }
}
