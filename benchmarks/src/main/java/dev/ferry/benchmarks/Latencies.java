package dev.ferry.benchmarks;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** End-to-end latencies of one run, recorded without allocation on the hot path. */
final class Latencies {
  private final long[] nanos;
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch done;
  private volatile long lastNanos;

  Latencies(int expected) {
    this.nanos = new long[expected];
    this.done = new CountDownLatch(expected);
  }

  void record(long sentNanos) {
    long now = System.nanoTime();
    int i = count.getAndIncrement();
    if (i < nanos.length) {
      nanos[i] = now - sentNanos;
      lastNanos = now;
      done.countDown();
    }
  }

  int count() {
    return count.get();
  }

  boolean await(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  long lastNanos() {
    return lastNanos;
  }

  /** Waits for every message (up to 10 minutes) and summarises the run. */
  Result result(String scenario, int rate, long startNanos, String note)
      throws InterruptedException {
    await(600);
    long end = count() > 0 ? lastNanos() : System.nanoTime();
    return new Result(
        scenario,
        rate <= 0 ? "saturation" : rate + "/s",
        count(),
        (end - startNanos) / 1e9,
        percentileMillis(50),
        percentileMillis(95),
        percentileMillis(99),
        Rss.peakMb(),
        note);
  }

  double percentileMillis(double p) {
    int n = Math.min(count.get(), nanos.length);
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    int idx = (int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1);
    return sorted[Math.max(0, idx)] / 1_000_000.0;
  }
}
