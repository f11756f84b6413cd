package dev.ferry.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one piece of work over and over on a number of threads for a while, counting. */
final class ConcurrentRun {
  private ConcurrentRun() {}

  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads for {@code time}; returns how often it ran. */
  static long run(Work work, int threads, Duration time) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + time.toNanos();
    List<Thread> started = new ArrayList<>();
    Throwable[] failure = {null};
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < deadline) {
                    work.run();
                    done.incrementAndGet();
                  }
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      th.start();
      started.add(th);
    }
    for (Thread th : started) {
      th.join();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("A benchmark thread failed", failure[0]);
    }
    return done.get();
  }
}
