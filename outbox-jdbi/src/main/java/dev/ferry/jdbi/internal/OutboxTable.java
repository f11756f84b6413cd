package dev.ferry.jdbi.internal;

import dev.ferry.Address;
import dev.ferry.spi.OutgoingEnvelope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outgoing table: store in the caller's transaction, claim with a lease, delete, release. */
public final class OutboxTable {
  private static final Logger log = LoggerFactory.getLogger(OutboxTable.class);

  private final StoreSql sql;
  private final Transactions transactions;

  public OutboxTable(String schema, Transactions transactions) {
    this.sql = new StoreSql(schema);
    this.transactions = transactions;
  }

  /** One batch of upserts in the unit of work (a stored id is replaced, as the SPI says). */
  public void store(
      JdbiUnitOfWork uow,
      Collection<OutgoingEnvelope> envelopes,
      String owner,
      Instant leaseUntil) {
    if (envelopes.isEmpty()) {
      return;
    }
    // One row per id: the same id twice in one batch would make the upsert touch a row twice.
    Map<String, OutgoingEnvelope> byId = new LinkedHashMap<>();
    envelopes.forEach(e -> byId.put(e.id(), e));
    PreparedBatch batch = Db.batch(uow.handle(), sql.insertOutgoing);
    for (OutgoingEnvelope o : byId.values()) {
      EnvelopeRows.bind(batch, o.envelope())
          .bind("id", o.id())
          .bind("destination", o.destination().toString())
          .bind("due_at", Db.instant(o.dueAt()))
          .bind("owner", owner)
          .bind("lease_until", Db.instant(owner == null ? null : leaseUntil))
          .add();
    }
    batch.execute();
  }

  /** Claims due rows that are free or whose lease expired; committed before it returns. */
  public List<OutgoingEnvelope> claim(String owner, int limit, Instant now, Duration lease) {
    if (limit <= 0) {
      return List.of();
    }
    List<Claimed> rows =
        transactions.own(
            h ->
                Db.query(h, sql.claimOutgoing)
                    .bind("now", Db.instant(now))
                    .bind("limit", limit)
                    .bind("owner", owner)
                    .bind("lease_until", Db.instant(now.plus(lease)))
                    .map((rs, ctx) -> Claimed.read(rs))
                    .list());
    rows.sort(Comparator.comparing(Claimed::notBefore).thenComparingLong(Claimed::seq));
    List<OutgoingEnvelope> claimed = new ArrayList<>(rows.size());
    for (Claimed c : rows) {
      if (c.envelope != null) {
        claimed.add(c.envelope);
      }
    }
    return claimed;
  }

  /** Deletes rows still owned by {@code owner}. */
  public int delete(String owner, Collection<String> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return transactions.own(
        h ->
            Db.update(h, sql.deleteOutgoing)
                .bind("owner", owner)
                .bind("ids", Db.textArray(ids))
                .execute());
  }

  /** Frees rows still owned by {@code owner}, not due before {@code notBefore}. */
  public int release(String owner, Collection<String> ids, Instant notBefore) {
    if (ids.isEmpty()) {
      return 0;
    }
    return transactions.own(
        h ->
            Db.update(h, sql.releaseOutgoing)
                .bind("owner", owner)
                .bind("ids", Db.textArray(ids))
                .bind("not_before", Db.instant(notBefore))
                .execute());
  }

  public long count() {
    return transactions.own(h -> Db.query(h, sql.countOutgoing).mapTo(Long.class).one());
  }

  /** A claimed row; {@code envelope} is null when the row cannot be read (logged, skipped). */
  private record Claimed(long seq, Instant notBefore, OutgoingEnvelope envelope) {
    static Claimed read(ResultSet rs) throws SQLException {
      long seq = rs.getLong("seq");
      Instant notBefore = Db.instant(rs, "not_before");
      try {
        OutgoingEnvelope e =
            new OutgoingEnvelope(
                EnvelopeRows.read(rs),
                Address.parse(rs.getString("destination")),
                Db.instant(rs, "due_at"));
        return new Claimed(seq, notBefore, e);
      } catch (SQLException | RuntimeException e) {
        log.error(
            "Outgoing row seq={} (message {}) cannot be read and is skipped until it is fixed or"
                + " deleted: {}",
            seq,
            rs.getString("message_id"),
            e.toString());
        return new Claimed(seq, notBefore, null);
      }
    }
  }
}
