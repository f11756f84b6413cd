package dev.ferry.jdbi.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.ColonPrefixSqlParser;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

/**
 * Statements of the store. The handle may belong to the user's {@code Jdbi}, so each statement pins
 * the parts of the configuration its SQL relies on (no templating, {@code :name} parameters) and
 * timestamps and arrays are bound through plain JDBC calls.
 */
public final class Db {
  private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();

  /**
   * How long one of the store's statements may run, waits for row locks included, in seconds (0: no
   * limit); then the driver cancels it and the operation fails like any store failure. Without it,
   * a transaction that never ends (a hung handler's) would hold every other node's insert of the
   * same inbox row, and their threads and connections, for good.
   */
  private final int timeoutSeconds;

  public Db(java.time.Duration statementTimeout) {
    long seconds =
        statementTimeout.toMillis() <= 0 ? 0 : (statementTimeout.toMillis() + 999) / 1000;
    this.timeoutSeconds = (int) Math.min(Integer.MAX_VALUE, seconds);
  }

  Update update(Handle h, String sql) {
    return pin(h.createUpdate(sql));
  }

  Query query(Handle h, String sql) {
    return pin(h.createQuery(sql));
  }

  PreparedBatch batch(Handle h, String sql) {
    return pin(h.prepareBatch(sql));
  }

  private <S extends SqlStatement<S>> S pin(S statement) {
    return statement.configure(
        SqlStatements.class,
        c ->
            c.setTemplateEngine(TemplateEngine.NOP)
                .setSqlParser(PARSER)
                .setQueryTimeout(timeoutSeconds == 0 ? null : timeoutSeconds));
  }

  /** A {@code timestamptz} argument; null binds SQL NULL. */
  static Argument instant(Instant value) {
    if (value == null) {
      return (position, statement, ctx) ->
          statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
    }
    OffsetDateTime utc = value.atOffset(ZoneOffset.UTC);
    return (position, statement, ctx) -> statement.setObject(position, utc);
  }

  /**
   * Runs {@code work} on a statement prepared on the handle's connection, bypassing JDBI's
   * statement machinery: for the statements run once per message, where its per-statement cost
   * shows. A failure is reported as JDBI would report it.
   */
  <T> T jdbc(Handle h, String sql, JdbcWork<T> work) {
    try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      if (timeoutSeconds > 0) {
        ps.setQueryTimeout(timeoutSeconds);
      }
      return work.run(ps);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  /**
   * Whether a statement may end the transaction with {@code ; COMMIT}: the connection is
   * PostgreSQL's own driver (through any pool's wrapper), whose {@code commit()} does nothing once
   * the server reports the transaction ended, and does not wrap statements in savepoints ({@code
   * autosave}), which the end of the transaction would leave dangling.
   */
  static boolean canCommitInStatement(Handle h) {
    try {
      Connection c = h.getConnection();
      return c.isWrapperFor(PGConnection.class)
          && c.unwrap(PGConnection.class).getAutosave() == AutoSave.NEVER;
    } catch (SQLException e) {
      return false;
    }
  }

  /** Work on a prepared statement. */
  @FunctionalInterface
  interface JdbcWork<T> {
    T run(PreparedStatement statement) throws SQLException;
  }

  /** Sets a {@code timestamptz} parameter; null sets SQL NULL. */
  static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, value.atOffset(ZoneOffset.UTC));
    }
  }

  /** Sets a {@code text[]} parameter, for {@code = ANY(?)}. */
  static void setTextArray(PreparedStatement ps, int index, Collection<String> values)
      throws SQLException {
    ps.setArray(index, ps.getConnection().createArrayOf("text", values.toArray(new Object[0])));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
