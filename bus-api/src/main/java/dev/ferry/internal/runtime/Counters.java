package dev.ferry.internal.runtime;

import dev.ferry.BusMetrics;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free counters behind {@link BusMetrics}. */
final class Counters {
  final LongAdder sent = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder handled = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder retries = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder discarded = new LongAdder();
  final LongAdder duplicates = new LongAdder();

  BusMetrics snapshot() {
    return new BusMetrics(
        sent.sum(),
        delivered.sum(),
        received.sum(),
        handled.sum(),
        failures.sum(),
        retries.sum(),
        deadLettered.sum(),
        expired.sum(),
        discarded.sum(),
        duplicates.sum());
  }
}
