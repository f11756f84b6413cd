package dev.ferry.samples.demo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what one flow sent and what arrived, so the report can show duplicates and losses. */
final class Tally {
  final String flow;
  final AtomicInteger sent = new AtomicInteger();
  private final Map<Object, AtomicInteger> received = new ConcurrentHashMap<>();

  Tally(String flow) {
    this.flow = flow;
  }

  void sent() {
    sent.incrementAndGet();
  }

  void received(Object key) {
    received.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
  }

  int handled() {
    return received.size();
  }

  int duplicates() {
    return received.values().stream().mapToInt(c -> c.get() - 1).sum();
  }

  int lost(int expected) {
    return Math.max(0, expected - handled());
  }
}
