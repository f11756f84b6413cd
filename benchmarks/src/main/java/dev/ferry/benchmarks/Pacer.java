package dev.ferry.benchmarks;

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
   * One producer thread's part of a run: claims the next {@code perTx} of {@code messages} from
   * {@code next}, which the producers share, and sends them as one chunk, at {@code rate} chunks
   * per second (0: as fast as possible), until every message is claimed.
   */
  static void produceInChunks(AtomicInteger next, int messages, int perTx, int rate, Chunk chunk) {
    Pacer pacer = new Pacer(rate);
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
