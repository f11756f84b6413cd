package dev.ferry.jdbi.internal;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.spi.OutgoingEnvelope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.PreparedStatement;
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
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outgoing table: store in the caller's transaction, claim with a lease, delete, release. */
public final class OutboxTable {
  private static final Logger log = LoggerFactory.getLogger(OutboxTable.class);

  /** The reason of the dead letter an unreadable outgoing row becomes. */
  public static final String UNREADABLE = "unreadable-outgoing-row";

  private final StoreSql sql;
  private final Transactions transactions;
  private final DeadLetterTable deadLetters;

  public OutboxTable(String schema, Transactions transactions, DeadLetterTable deadLetters) {
    this.sql = new StoreSql(schema);
    this.transactions = transactions;
    this.deadLetters = deadLetters;
  }

  /** Rows per {@code executeBatch}: bounds the memory of one batch on the driver's side. */
  private static final int INSERT_CHUNK = 1000;

  /**
   * Stores rows in the unit of work (a stored id is replaced, as the SPI says): in one batch just
   * before the commit where the store sees the commit coming, at once on a bound handle. A row
   * PostgreSQL would refuse is refused here already, so that the send fails, not only the commit.
   */
  public void store(
      JdbiUnitOfWork uow,
      Collection<OutgoingEnvelope> envelopes,
      String owner,
      Instant leaseUntil) {
    if (envelopes.isEmpty()) {
      return;
    }
    Instant lease = owner == null ? null : leaseUntil;
    if (!uow.buffersWrites()) {
      List<JdbiUnitOfWork.PendingRow> rows = new ArrayList<>(envelopes.size());
      envelopes.forEach(e -> rows.add(new JdbiUnitOfWork.PendingRow(e, owner, lease)));
      insert(uow.handle(), rows, false);
      return;
    }
    for (OutgoingEnvelope e : envelopes) {
      EnvelopeRows.checkStorable(e.envelope());
    }
    uow.buffer(this::insert, envelopes, owner, lease);
  }

  /**
   * Upserts rows: one statement for one row, else batches of {@value #INSERT_CHUNK}. With {@code
   * mayCommit}, one row and the PostgreSQL driver, the row and the {@code COMMIT} go in one round
   * trip ({@code INSERT ...; COMMIT}): for a transaction with one message that is the round trip of
   * the message saved. The driver then knows the transaction has ended (the server says so), and
   * the caller's {@code commit()} does nothing; if either part fails, the exception says so and
   * nothing was committed.
   */
  private void insert(Handle handle, List<JdbiUnitOfWork.PendingRow> rows, boolean mayCommit) {
    // One row per id: the same id twice in one batch would make the upsert touch a row twice.
    Map<String, JdbiUnitOfWork.PendingRow> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.id(), r));
    List<JdbiUnitOfWork.PendingRow> unique = new ArrayList<>(byId.values());
    boolean withCommit = mayCommit && unique.size() == 1 && Db.canCommitInStatement(handle);
    transactions
        .db()
        .jdbc(
            handle,
            withCommit ? sql.insertOutgoingAndCommit : sql.insertOutgoing,
            ps -> {
              if (unique.size() == 1) {
                bind(ps, unique.get(0));
                return ps.executeUpdate();
              }
              int n = 0;
              for (JdbiUnitOfWork.PendingRow r : unique) {
                bind(ps, r);
                ps.addBatch();
                if (++n % INSERT_CHUNK == 0 || n == unique.size()) {
                  ps.executeBatch();
                }
              }
              return n;
            });
  }

  private static void bind(PreparedStatement ps, JdbiUnitOfWork.PendingRow r) throws SQLException {
    OutgoingEnvelope o = r.envelope();
    ps.setString(1, r.id());
    ps.setString(2, o.destination().toString());
    Db.setInstant(ps, 3, o.dueAt());
    Db.setInstant(ps, 4, o.dueAt());
    ps.setString(5, r.owner());
    Db.setInstant(ps, 6, r.leaseUntil());
    EnvelopeRows.bind(ps, 7, o.envelope());
  }

  /**
   * Claims due rows that are free or whose lease expired, in one statement committed before it
   * returns. A claimed row that cannot be read (a destination that is not an address, headers that
   * are not a JSON object of strings) is then stored as a dead letter with reason {@value
   * #UNREADABLE} and removed from the outbox, both in one transaction; the others are returned: one
   * bad row never stops the relay.
   */
  public List<OutgoingEnvelope> claim(String owner, int limit, Instant now, Duration lease) {
    if (limit <= 0) {
      return List.of();
    }
    List<Claimed> rows =
        transactions.bookkeeping(
            (h, async) ->
                transactions
                    .db()
                    .query(h, async ? sql.claimOutgoingAsync : sql.claimOutgoing)
                    .bind("now", Db.instant(now))
                    .bind("limit", limit)
                    .bind("owner", owner)
                    .bind("lease_until", Db.instant(now.plus(lease)))
                    .map((rs, ctx) -> Claimed.read(rs))
                    .list());
    List<Claimed> unreadable = new ArrayList<>(0);
    for (Claimed c : rows) {
      if (c.deadLetter != null) {
        unreadable.add(c);
      }
    }
    if (!unreadable.isEmpty()) {
      deadLetter(owner, unreadable);
    }
    rows.sort(Comparator.comparing(Claimed::notBefore).thenComparingLong(Claimed::seq));
    List<OutgoingEnvelope> claimed = new ArrayList<>(rows.size());
    for (Claimed c : rows) {
      if (c.envelope != null) {
        claimed.add(c.envelope);
      }
    }
    return claimed;
  }

  /**
   * Moves unreadable rows just claimed by {@code owner} to the dead letters: each is stored as a
   * dead letter and deleted in one transaction. If that fails, the rows stay claimed and come back
   * when the lease expires; the rest of the claim is not affected.
   */
  private void deadLetter(String owner, List<Claimed> unreadable) {
    List<String> ids = new ArrayList<>(unreadable.size());
    List<DeadLetter> letters = new ArrayList<>(unreadable.size());
    for (Claimed c : unreadable) {
      ids.add(c.id);
      letters.add(c.deadLetter);
    }
    try {
      transactions.own(
          h -> {
            deadLetters.store(h, letters);
            return delete(h, sql.deleteOutgoing, owner, ids);
          });
    } catch (RuntimeException e) {
      log.error(
          "Unreadable outgoing row(s) {} could not be moved to the dead letters; they are skipped"
              + " and tried again when their lease expires",
          ids,
          e);
      return;
    }
    for (Claimed c : unreadable) {
      log.error(
          "{}; moved to the dead letters (reason {}, id '{}')",
          c.deadLetter.exceptionMessage(),
          UNREADABLE,
          c.deadLetter.id());
    }
  }

  /** Deletes rows still owned by {@code owner}. */
  public int delete(String owner, Collection<String> ids) {
    if (ids.isEmpty()) {
      return 0;
    }
    return transactions.bookkeeping(
        (h, async) -> delete(h, async ? sql.deleteOutgoingAsync : sql.deleteOutgoing, owner, ids));
  }

  private int delete(Handle h, String statement, String owner, Collection<String> ids) {
    return transactions
        .db()
        .jdbc(
            h,
            statement,
            ps -> {
              ps.setString(1, owner);
              Db.setTextArray(ps, 2, ids);
              return ps.executeUpdate();
            });
  }

  /** Frees rows still owned by {@code owner}, not due before {@code notBefore}. */
  public int release(String owner, Collection<String> ids, Instant notBefore) {
    if (ids.isEmpty()) {
      return 0;
    }
    return transactions.bookkeeping(
        (h, async) ->
            transactions
                .db()
                .jdbc(
                    h,
                    async ? sql.releaseOutgoingAsync : sql.releaseOutgoing,
                    ps -> {
                      Db.setInstant(ps, 1, notBefore);
                      ps.setString(2, owner);
                      Db.setTextArray(ps, 3, ids);
                      return ps.executeUpdate();
                    }));
  }

  public long count() {
    return transactions.own(
        h -> transactions.db().query(h, sql.countOutgoing).mapTo(Long.class).one());
  }

  /**
   * A claimed row: either its {@code envelope}, or, when the row cannot be read, the {@code
   * deadLetter} that keeps what could be read of it.
   */
  private record Claimed(
      long seq, Instant notBefore, String id, OutgoingEnvelope envelope, DeadLetter deadLetter) {
    static Claimed read(ResultSet rs) throws SQLException {
      long seq = rs.getLong("seq");
      Instant notBefore = Db.instant(rs, "not_before");
      String id = rs.getString("id");
      String destinationText = rs.getString("destination");
      List<String> problems = new ArrayList<>(1);
      List<Exception> causes = new ArrayList<>(1);
      Address destination = null;
      try {
        destination = Address.parse(destinationText);
      } catch (RuntimeException e) {
        problems.add("column destination: " + e.getMessage());
        causes.add(e);
      }
      Envelope envelope;
      Instant dueAt = null;
      try {
        envelope = EnvelopeRows.read(rs);
        dueAt = Db.instant(rs, "due_at");
      } catch (SQLException | RuntimeException e) {
        envelope = EnvelopeRows.readWhatIsReadable(rs, problems);
        causes.add(e);
      }
      if (problems.isEmpty()) {
        return new Claimed(
            seq, notBefore, id, new OutgoingEnvelope(envelope, destination, dueAt), null);
      }
      MalformedMessageException failure =
          new MalformedMessageException(
              "Outgoing row '" + id + "' cannot be read: " + String.join("; ", problems),
              causes.isEmpty() ? null : causes.get(0));
      for (int i = 1; i < causes.size(); i++) {
        failure.addSuppressed(causes.get(i));
      }
      StringWriter trace = new StringWriter();
      failure.printStackTrace(new PrintWriter(trace));
      Instant now = Instant.now();
      DeadLetter d =
          new DeadLetter(
              envelope.id() + "@" + destinationText, // as every dead letter: id '@' endpoint
              envelope,
              destinationText,
              UNREADABLE,
              failure.getClass().getName(),
              failure.getMessage(),
              trace.toString(),
              Math.max(1, envelope.attempts() + 1),
              now,
              now);
      return new Claimed(seq, notBefore, id, null, d);
    }
  }
}
