package dev.ferry.benchmarks;

import dev.ferry.MessageType;

/** About 512 bytes on the wire; carries its send time for the end-to-end latency. */
@MessageType("bench.payload.v1")
record Payload(long sentNanos, int n, String padding) {
  static final String PADDING = "x".repeat(460);

  static Payload of(int n) {
    return new Payload(System.nanoTime(), n, PADDING);
  }
}
