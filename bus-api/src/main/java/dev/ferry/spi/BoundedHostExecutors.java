package dev.ferry.spi;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Fixed pools whose queues are bounded and whose submitters wait when they are full, on threads
 * from a factory: plain daemon threads in Java SE, a container's {@code ManagedThreadFactory} in
 * Jakarta EE. See {@link HostExecutors#bounded}.
 */
final class BoundedHostExecutors implements HostExecutors {
  private final Function<String, ThreadFactory> threads;
  private final ScheduledThreadPoolExecutor scheduler;

  BoundedHostExecutors(Function<String, ThreadFactory> threads) {
    this.threads = threads;
    this.scheduler = new ScheduledThreadPoolExecutor(2, threads.apply("ferry-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @Override
  public ExecutorService workers(String name, int count) {
    return new ThreadPoolExecutor(
        count,
        count,
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(Math.max(1, count)),
        threads.apply(name),
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

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
