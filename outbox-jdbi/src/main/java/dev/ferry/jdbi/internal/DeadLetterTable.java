package dev.ferry.jdbi.internal;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/** Dead letters: upserted by id, listed in the order they were first stored, newest first. */
public final class DeadLetterTable {
  private final StoreSql sql;
  private final Transactions transactions;

  public DeadLetterTable(String schema, Transactions transactions) {
    this.sql = new StoreSql(schema);
    this.transactions = transactions;
  }

  public void store(DeadLetter d) {
    transactions.own(
        h -> {
          store(h, List.of(d));
          return null;
        });
  }

  /** Upserts dead letters in the transaction of {@code h}, in one batch. */
  void store(Handle h, List<DeadLetter> deadLetters) {
    if (deadLetters.isEmpty()) {
      return;
    }
    PreparedBatch batch = transactions.db().batch(h, sql.upsertDeadLetter);
    for (DeadLetter d : deadLetters) {
      EnvelopeRows.bind(batch, d.envelope())
          .bind("id", d.id())
          .bind("endpoint", d.endpoint())
          .bind("reason", d.reason())
          .bind("exception_type", d.exceptionType())
          .bind("exception_message", d.exceptionMessage())
          .bind("stack_trace", d.stackTrace())
          .bind("failed_attempts", d.attempts())
          .bind("first_failed_at", Db.instant(d.firstFailedAt()))
          .bind("dead_lettered_at", Db.instant(d.deadLetteredAt()))
          .add();
    }
    batch.execute();
  }

  public List<DeadLetter> list(DeadLetterQuery query) {
    if (query.limit() <= 0) {
      return List.of();
    }
    return transactions.own(
        h ->
            criteria(transactions.db().query(h, sql.selectDeadLetters), query)
                .bind("limit", query.limit())
                .map((rs, ctx) -> read(rs))
                .list());
  }

  public Optional<DeadLetter> find(String id) {
    return transactions.own(
        h ->
            transactions
                .db()
                .query(h, sql.selectDeadLetter)
                .bind("id", id)
                .map((rs, ctx) -> read(rs))
                .findOne());
  }

  /** Deletes in the unit of work, so that a replay commits or rolls back as one. */
  public boolean delete(JdbiUnitOfWork uow, String id) {
    return transactions.db().update(uow.handle(), sql.deleteDeadLetter).bind("id", id).execute()
        > 0;
  }

  public long count() {
    return transactions.own(
        h -> transactions.db().query(h, sql.countDeadLetters).mapTo(Long.class).one());
  }

  public long purge(DeadLetterQuery query) {
    return transactions.own(
        h -> (long) criteria(transactions.db().update(h, sql.purgeDeadLetters), query).execute());
  }

  private static <S extends SqlStatement<S>> S criteria(S statement, DeadLetterQuery query) {
    return statement
        .bind("endpoint", query.endpoint())
        .bind("message_type", query.messageType())
        .bind("reason", query.reason())
        .bind("after", Db.instant(query.after()))
        .bind("before", Db.instant(query.before()));
  }

  private static DeadLetter read(ResultSet rs) throws SQLException {
    return new DeadLetter(
        rs.getString("id"),
        EnvelopeRows.read(rs),
        rs.getString("endpoint"),
        rs.getString("reason"),
        rs.getString("exception_type"),
        rs.getString("exception_message"),
        rs.getString("stack_trace"),
        rs.getInt("failed_attempts"),
        Db.instant(rs, "first_failed_at"),
        Db.instant(rs, "dead_lettered_at"));
  }
}
