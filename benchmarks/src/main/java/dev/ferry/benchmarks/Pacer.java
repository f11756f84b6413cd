package dev.ferry.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/** Spaces sends to offer a fixed rate; 0 means as fast as possible. */
final class Pacer {
  private final long intervalNanos;
  private final long start = System.nanoTime();
  private long sent;

  Pacer(int ratePerSecond) {
    this.intervalNanos = ratePerSecond <= 0 ? 0 : 1_000_000_000L / ratePerSecond;
  }

  /**
   * Sends messages {@code first} to {@code first + count - 1}, in one transaction if it has any.
   */
  interface Chunk {
    void send(int first, int count) throws Exception;
  }

  /**
   * Sends {@code messages} from {@code producers} threads, each claiming the next {@code perTx}
   * from a shared counter and sending them as one chunk. At a fixed {@code rate} (messages per
   * second; 0: as fast as possible) the producers offer {@code rate / producers} each. Returns when
   * every message is sent, with the {@link System#nanoTime} at which sending began.
   */
  static long produce(int producers, int messages, int perTx, int rate, Chunk chunk)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    int chunksPerSecond = rate <= 0 ? 0 : Math.max(1, rate / producers / perTx);
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < producers; t++) {
      Thread w =
          new Thread(
              () -> produceInChunks(next, messages, perTx, chunksPerSecond, chunk),
              "producer-" + t);
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    return start;
  }

  private static void produceInChunks(
      AtomicInteger next, int messages, int perTx, int chunksPerSecond, Chunk chunk) {
    Pacer pacer = new Pacer(chunksPerSecond);
    while (true) {
      int first = next.getAndAdd(perTx);
      if (first >= messages) {
        return;
      }
      int count = Math.min(perTx, messages - first);
      pacer.next();
      try {
        chunk.send(first, count);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
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
