package dev.ferry.jms;

import dev.ferry.MessageHandler;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What a worker handled, and how often it got an item it had handled already. */
final class WorkTally {
  final Set<Integer> handled = ConcurrentHashMap.newKeySet();
  final AtomicInteger duplicates = new AtomicInteger();

  /** The worker's handler: notes each item, and counts the ones seen before. */
  MessageHandler<Work> handler() {
    return (w, ctx) -> {
      if (!handled.add(w.n())) {
        duplicates.incrementAndGet();
      }
      return null;
    };
  }
}
