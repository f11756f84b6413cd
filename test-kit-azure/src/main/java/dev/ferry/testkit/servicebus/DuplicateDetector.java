package dev.ferry.testkit.servicebus;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Message ids seen within the window; a repeat is accepted by the broker and then dropped. */
final class DuplicateDetector {

  private final Duration window;
  private final Map<String, Instant> seen = new LinkedHashMap<>();

  DuplicateDetector(Duration window) {
    this.window = window;
  }

  boolean isDuplicate(String messageId, Instant now) {
    if (window == null || messageId == null) {
      return false;
    }
    prune(now);
    if (seen.containsKey(messageId)) {
      return true;
    }
    seen.put(messageId, now);
    return false;
  }

  void prune(Instant now) {
    if (window == null) {
      return;
    }
    Instant oldest = now.minus(window);
    for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next().isAfter(oldest)) {
        return; // insertion order is time order
      }
      it.remove();
    }
  }
}
