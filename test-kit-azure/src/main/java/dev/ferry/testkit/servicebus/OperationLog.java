package dev.ferry.testkit.servicebus;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded, thread-safe record of operations: written on the reactor thread, read by tests. The
 * oldest entries go first when the bound is reached, so a long test cannot exhaust memory.
 */
final class OperationLog {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceBusTestDouble.class);
  private static final int MAX_ENTRIES = 50_000;

  private final Clock clock;
  private final Deque<Operation> entries = new ArrayDeque<>();

  OperationLog(Clock clock) {
    this.clock = clock;
  }

  void add(String name, String entity, Object detail) {
    Operation operation =
        new Operation(clock.instant(), name, entity, detail == null ? "" : detail.toString());
    LOG.debug("{}", operation);
    synchronized (entries) {
      if (entries.size() == MAX_ENTRIES) {
        entries.removeFirst();
      }
      entries.addLast(operation);
    }
  }

  List<Operation> snapshot() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }
}
