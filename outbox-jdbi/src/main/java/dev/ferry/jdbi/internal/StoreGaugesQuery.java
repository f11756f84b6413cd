package dev.ferry.jdbi.internal;

import dev.ferry.StoreGauges;
import java.time.Duration;

/**
 * The store's gauges in one statement. Ages come from the database clock, the one that stamped the
 * rows.
 */
public final class StoreGaugesQuery {
  private final String sql;
  private final Transactions transactions;

  public StoreGaugesQuery(String schema, Transactions transactions) {
    String s = Identifiers.quote(schema) + ".";
    String due = "(due_at IS NULL OR due_at <= now())";
    // One pass over the outbox for its three figures.
    this.sql =
        "SELECT count(*) FILTER (WHERE "
            + due
            + ") AS outbox_depth,"
            + " COALESCE(EXTRACT(EPOCH FROM now() - min(COALESCE(due_at, created_at)) FILTER"
            + " (WHERE "
            + due
            + ")) * 1000, 0)::bigint AS oldest_ms,"
            + " count(*) FILTER (WHERE due_at > now()) AS scheduled,"
            + " (SELECT count(*) FROM "
            + s
            + "incoming) AS inbox_depth,"
            + " (SELECT count(*) FROM "
            + s
            + "dead_letters) AS dead_letters"
            + " FROM "
            + s
            + "outgoing";
    this.transactions = transactions;
  }

  public StoreGauges read() {
    return transactions.own(
        h ->
            transactions
                .db()
                .query(h, sql)
                .map(
                    (rs, ctx) ->
                        new StoreGauges(
                            rs.getLong("outbox_depth"),
                            Duration.ofMillis(Math.max(0, rs.getLong("oldest_ms"))),
                            rs.getLong("scheduled"),
                            rs.getLong("inbox_depth"),
                            rs.getLong("dead_letters")))
                .one());
  }
}
