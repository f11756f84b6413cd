package dev.ferry.console.internal;

import dev.ferry.console.AuditEntry;
import java.sql.Timestamp;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The audit trail in the store's own PostgreSQL database, in a table of the store's schema that
 * this class creates when missing. Creation runs under an advisory lock, so consoles starting
 * together on one database do not race, and is a no-op once the table exists.
 */
public final class PostgresAuditTrail implements AuditTrail {
  static final String TABLE = "console_audit";
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]*");

  /** An arbitrary constant naming the console's migration lock. */
  private static final long MIGRATION_LOCK = 0x6665727279636f6eL;

  private final Jdbi jdbi;
  private final String table;
  private final String schema;

  public PostgresAuditTrail(Jdbi jdbi, String schema) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("Not a plain schema name: " + schema);
    }
    this.jdbi = jdbi;
    this.schema = schema;
    this.table = schema + "." + TABLE;
  }

  /** Creates the schema and table if they are missing. Safe to run any number of times. */
  public PostgresAuditTrail migrate() {
    // A session lock, not a transaction one: the Jdbi may leave transactions to a container.
    jdbi.useHandle(
        h -> {
          h.execute("SELECT pg_advisory_lock(?)", MIGRATION_LOCK);
          try {
            create(h);
          } finally {
            h.execute("SELECT pg_advisory_unlock(?)", MIGRATION_LOCK);
          }
        });
    return this;
  }

  private void create(Handle h) {
    h.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    h.execute(
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL, operator TEXT NOT NULL,"
            + " action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL)");
    h.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_at ON " + table + " (at DESC, id DESC)");
  }

  @Override
  public void record(AuditEntry e) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO "
                        + table
                        + " (at, operator, action, target, result)"
                        + " VALUES (:at, :operator, :action, :target, :result)")
                .bind("at", Timestamp.from(e.at()))
                .bind("operator", e.operator())
                .bind("action", e.action())
                .bind("target", e.target())
                .bind("result", e.result())
                .execute());
  }

  @Override
  public List<AuditEntry> recent(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT at, operator, action, target, result FROM "
                        + table
                        + " ORDER BY at DESC, id DESC LIMIT :limit")
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new AuditEntry(
                            rs.getTimestamp("at").toInstant(),
                            rs.getString("operator"),
                            rs.getString("action"),
                            rs.getString("target"),
                            rs.getString("result")))
                .list());
  }

  @Override
  public String location() {
    return "postgresql:" + table;
  }
}
