package dev.ferry.internal.host;

import dev.ferry.spi.HostExecutors;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread supply in a plain Java process: fixed pools whose queues are bounded and whose submitters
 * wait when they are full.
 */
public final class SeExecutors implements HostExecutors {
  private final ScheduledThreadPoolExecutor scheduler;

  public SeExecutors() {
    scheduler = new ScheduledThreadPoolExecutor(2, threads("ferry-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @Override
  public ExecutorService workers(String name, int threads) {
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(Math.max(1, threads)),
        threads(name),
        (task, pool) -> {
          // Wait for room rather than queue without bound or drop work.
          try {
            if (pool.isShutdown()) {
              throw new RejectedExecutionException(name + " is shut down");
            }
            pool.getQueue().put(task);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("Interrupted while waiting for " + name, e);
          }
        });
  }

  @Override
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  @Override
  public boolean ownsExecutors() {
    return true;
  }

  static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
