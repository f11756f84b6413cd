package dev.ferry.samples.demo;

import dev.ferry.BusMetrics;
import dev.ferry.MessageBus;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** One line a second: per service, messages handled (and the rate), dead letters. */
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
    System.out.println(line);
  }
}
