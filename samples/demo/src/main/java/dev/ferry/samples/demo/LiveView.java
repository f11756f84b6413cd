package dev.ferry.samples.demo;

import dev.ferry.BusMetrics;
import dev.ferry.MessageBus;
import dev.ferry.StoreGauges;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One line a second: per service, messages handled (and the rate), sent, dead letters; then what
 * waits in the outbox (the store's gauges: due messages and the age of the oldest, scheduled ones).
 */
final class LiveView {
  private final DemoServices services;
  private final Map<String, Long> lastHandled = new HashMap<>();
  private final long start = System.nanoTime();

  LiveView(DemoServices services) {
    this.services = services;
  }

  synchronized void print() {
    StringBuilder line =
        new StringBuilder(
            String.format(Locale.ROOT, "  [%3ds]", (System.nanoTime() - start) / 1_000_000_000L));
    for (Map.Entry<String, MessageBus> e : services.all().entrySet()) {
      BusMetrics m = e.getValue().metrics();
      long before = lastHandled.getOrDefault(e.getKey(), 0L);
      lastHandled.put(e.getKey(), m.handled());
      if (m.handled() == 0 && m.sent() == 0) {
        continue;
      }
      line.append(
          String.format(
              Locale.ROOT,
              "  %s: %d handled (%d/s)",
              e.getKey(),
              m.handled(),
              m.handled() - before));
      if (m.sent() > 0) {
        line.append(String.format(Locale.ROOT, ", %d sent", m.sent()));
      }
      if (m.deadLettered() > 0) {
        line.append(String.format(Locale.ROOT, ", %d dead", m.deadLettered()));
      }
    }
    // The services keep their stores in one schema, so the gauges are the demo's, read once.
    services.all().values().stream().findFirst().ifPresent(bus -> appendOutbox(line, bus));
    System.out.println(line);
  }

  private static void appendOutbox(StringBuilder line, MessageBus bus) {
    StoreGauges g;
    try {
      g = bus.storeGauges();
    } catch (RuntimeException e) {
      return; // the store is unreachable for a moment; the counts above still tell the story
    }
    if (g.outboxDepth() > 0 || g.scheduled() > 0) {
      line.append(
          String.format(
              Locale.ROOT,
              "  | outbox: %d due (oldest %.1f s), %d scheduled",
              g.outboxDepth(),
              g.oldestOutgoingAge().toMillis() / 1000.0,
              g.scheduled()));
    }
  }
}
