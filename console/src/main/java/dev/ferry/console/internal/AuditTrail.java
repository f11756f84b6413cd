package dev.ferry.console.internal;

import dev.ferry.console.AuditEntry;
import java.util.List;

/** Where the console records who did what to dead letters. */
public interface AuditTrail {

  void record(AuditEntry entry);

  /** The newest first, at most {@code limit}. */
  List<AuditEntry> recent(int limit);

  /** Where entries are kept, for the UI: {@code memory} or {@code postgresql:<schema>.<table>}. */
  String location();
}
