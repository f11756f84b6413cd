package dev.ferry.internal.runtime;

import dev.ferry.HandlerTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds how long handlers run for one attempt ({@code ferry.handler.timeout}): when the time is up
 * the handling thread is interrupted, and once the handlers return or throw the attempt fails with
 * {@link HandlerTimeoutException}, so its unit of work rolls back and releases its inbox row and
 * connection. A handler that ignores interrupts still holds its thread until it returns; the
 * store's own statement timeout then bounds how long others wait for its row.
 */
final class HandlerWatchdog {
  /** The handlers' work, which may throw anything. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  private final Duration timeout;
  private final ScheduledExecutorService scheduler;

  HandlerWatchdog(Duration timeout, ScheduledExecutorService scheduler) {
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  void run(String messageId, Work work) throws Exception {
    if (timeout.isZero() || timeout.isNegative()) {
      work.run();
      return;
    }
    Thread thread = Thread.currentThread();
    Object lock = new Object();
    boolean[] state = {false, false}; // finished, timed out
    ScheduledFuture<?> alarm;
    try {
      alarm =
          scheduler.schedule(
              () -> {
                synchronized (lock) {
                  if (!state[0]) {
                    state[1] = true;
                    thread.interrupt();
                  }
                }
              },
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      work.run();
      return;
    }
    Throwable failure = null;
    try {
      work.run();
    } catch (Exception | Error e) {
      failure = e;
    } finally {
      alarm.cancel(false);
      synchronized (lock) {
        state[0] = true;
        if (state[1]) {
          Thread.interrupted(); // ours, not the host's: the rollback must not see it
        }
      }
    }
    if (state[1]) {
      HandlerTimeoutException timedOut = new HandlerTimeoutException(messageId, timeout);
      if (failure != null) {
        timedOut.addSuppressed(failure);
      }
      throw timedOut;
    }
    if (failure instanceof Exception e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }
}
