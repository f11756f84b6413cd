package dev.ferry.jdbi.internal;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox: one row per handled message and endpoint, inserted in the handler's transaction. Rows
 * older than the retention are purged in batches, opportunistically and at most once per interval.
 */
public final class InboxTable {
  private static final Logger log = LoggerFactory.getLogger(InboxTable.class);
  private static final int PURGE_BATCH = 1000;
  private static final int PURGE_MAX_BATCHES = 20;

  private final StoreSql sql;
  private final Transactions transactions;
  private final Duration retention;
  private final long purgeIntervalNanos;
  private final AtomicLong nextPurge = new AtomicLong(System.nanoTime());
  private final AtomicBoolean purging = new AtomicBoolean();

  public InboxTable(
      String schema, Transactions transactions, Duration retention, Duration purgeInterval) {
    this.sql = new StoreSql(schema);
    this.transactions = transactions;
    this.retention = retention;
    this.purgeIntervalNanos = purgeInterval.toNanos();
  }

  /**
   * Inserts the row in the unit of work; false if it exists. A concurrent insert of the same key
   * waits on the primary key until the other transaction ends, so only one of them gets true.
   */
  public boolean record(JdbiUnitOfWork uow, String endpoint, String messageId, Instant now) {
    return transactions
            .db()
            .jdbc(
                uow.handle(),
                sql.insertIncoming,
                ps -> {
                  ps.setString(1, messageId);
                  ps.setString(2, endpoint);
                  Db.setInstant(ps, 3, now);
                  return ps.executeUpdate();
                })
        == 1;
  }

  /**
   * Inserts a row per id in one statement, in id order (so that two transactions recording
   * overlapping batches wait on each other instead of deadlocking); returns the ids that existed.
   */
  public Set<String> record(
      JdbiUnitOfWork uow, String endpoint, Collection<String> messageIds, Instant now) {
    Set<String> duplicates = new LinkedHashSet<>(messageIds);
    if (duplicates.isEmpty()) {
      return duplicates;
    }
    transactions
        .db()
        .jdbc(
            uow.handle(),
            sql.insertIncomingBatch,
            ps -> {
              ps.setString(1, endpoint);
              Db.setInstant(ps, 2, now);
              Db.setTextArray(ps, 3, duplicates);
              try (ResultSet inserted = ps.executeQuery()) {
                while (inserted.next()) {
                  duplicates.remove(inserted.getString(1));
                }
              }
              return null;
            });
    return duplicates;
  }

  /** Deletes rows handled before {@code olderThan}, {@code batch} rows per transaction. */
  public int purge(Instant olderThan, int batch, int maxBatches) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive: " + batch);
    }
    int total = 0;
    for (int i = 0; i < maxBatches; i++) {
      int n =
          transactions.bookkeeping(
              (h, async) ->
                  transactions
                      .db()
                      .update(h, async ? sql.purgeIncomingAsync : sql.purgeIncoming)
                      .bind("before", Db.instant(olderThan))
                      .bind("batch", batch)
                      .execute());
      total += n;
      if (n < batch) {
        break;
      }
    }
    return total;
  }

  /** Purges expired rows if the interval has passed since the last purge; never throws. */
  public void purgeIfDue(Instant now) {
    long t = System.nanoTime();
    if (t - nextPurge.get() < 0 || !purging.compareAndSet(false, true)) {
      return;
    }
    try {
      nextPurge.set(t + purgeIntervalNanos);
      int n = purge(now.minus(retention), PURGE_BATCH, PURGE_MAX_BATCHES);
      if (n > 0) {
        log.debug("Purged {} inbox row(s) older than {}", n, retention);
      }
    } catch (RuntimeException e) {
      log.warn("Purging the inbox failed; it is tried again later", e);
    } finally {
      purging.set(false);
    }
  }
}
