package dev.ferry.jdbi.internal;

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
import org.jdbi.v3.core.statement.Update;

/**
 * Statements of the store. The handle may belong to the user's {@code Jdbi}, so each statement pins
 * the parts of the configuration its SQL relies on (no templating, {@code :name} parameters) and
 * timestamps and arrays are bound through plain JDBC calls.
 */
final class Db {
  private static final ColonPrefixSqlParser PARSER = new ColonPrefixSqlParser();

  private Db() {}

  static Update update(Handle h, String sql) {
    return pin(h.createUpdate(sql));
  }

  static Query query(Handle h, String sql) {
    return pin(h.createQuery(sql));
  }

  static PreparedBatch batch(Handle h, String sql) {
    return pin(h.prepareBatch(sql));
  }

  private static <S extends SqlStatement<S>> S pin(S statement) {
    return statement.configure(
        SqlStatements.class, c -> c.setTemplateEngine(TemplateEngine.NOP).setSqlParser(PARSER));
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

  /** A {@code text[]} argument, for {@code = ANY(:ids)}. */
  static Argument textArray(Collection<String> values) {
    Object[] array = values.toArray(new Object[0]);
    return (position, statement, ctx) ->
        statement.setArray(position, statement.getConnection().createArrayOf("text", array));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
