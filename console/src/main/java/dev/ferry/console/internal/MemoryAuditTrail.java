package dev.ferry.console.internal;

import dev.ferry.console.AuditEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/** The audit trail of a bus without a database: the newest entries in memory, lost on restart. */
public final class MemoryAuditTrail implements AuditTrail {
  private final int capacity;
  private final Deque<AuditEntry> entries = new ArrayDeque<>();

  public MemoryAuditTrail(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized void record(AuditEntry entry) {
    entries.addFirst(entry);
    while (entries.size() > capacity) {
      entries.removeLast();
    }
  }

  @Override
  public synchronized List<AuditEntry> recent(int limit) {
    List<AuditEntry> out = new ArrayList<>(Math.min(limit, entries.size()));
    Iterator<AuditEntry> it = entries.iterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next());
    }
    return out;
  }

  @Override
  public String location() {
    return "memory";
  }
}
