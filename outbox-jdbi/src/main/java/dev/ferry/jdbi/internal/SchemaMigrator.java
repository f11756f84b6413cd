package dev.ferry.jdbi.internal;

import dev.ferry.FerryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs and upgrades the store's tables from the versioned scripts shipped as resources ({@code
 * dev/ferry/jdbi/V<n>__*.sql}), or only checks the version when migration is disabled.
 *
 * <p>A migration runs in one transaction that first takes a transaction-scoped advisory lock on the
 * schema's name, so nodes starting together apply each script once and the others wait, then find
 * the new version. The scripts are idempotent as well, for DBAs who apply them by hand.
 */
public final class SchemaMigrator {
  private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

  private record Migration(int version, String resource) {}

  private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "V1__ferry.sql"));

  private static final String PLACEHOLDER = ":\"schema\"";

  private SchemaMigrator() {}

  /** The schema version this library needs. */
  public static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /** Every script in order, for {@code schema}: what a DBA runs when migration is disabled. */
  public static String script(String schema) {
    StringBuilder all = new StringBuilder();
    all.append("CREATE SCHEMA IF NOT EXISTS ").append(Identifiers.quote(schema)).append(";\n\n");
    for (Migration m : MIGRATIONS) {
      all.append(script(m, schema)).append('\n');
    }
    return all.toString();
  }

  /** Brings the schema to {@link #latestVersion()}; returns the version now installed. */
  public static int migrate(Transactions transactions, String schema) {
    return transactions.own(h -> sql(h, c -> migrate(c, schema)));
  }

  /** Checks that the schema is at least at {@link #latestVersion()}; fails clearly otherwise. */
  public static int verify(Transactions transactions, String schema) {
    int installed = transactions.own(h -> sql(h, c -> installedVersion(c, schema)));
    if (installed == 0) {
      throw new FerryException(
          "Ferry's tables are missing in schema '"
              + schema
              + "' and ferry.store.migrate is false: apply the scripts shipped in"
              + " ferry-outbox-jdbi (dev/ferry/jdbi/V*__ferry.sql, or"
              + " JdbiEnvelopeStore.migrationScript(schema)), or enable ferry.store.migrate");
    }
    if (installed < latestVersion()) {
      throw new FerryException(
          "Ferry's schema '"
              + schema
              + "' is at version "
              + installed
              + " but this library needs version "
              + latestVersion()
              + " and ferry.store.migrate is false: apply the scripts V"
              + (installed + 1)
              + " to V"
              + latestVersion()
              + ", or enable ferry.store.migrate");
    }
    return installed;
  }

  private static int migrate(Connection c, String schema) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
      lock.setString(1, "ferry.migrate." + schema);
      lock.execute();
    }
    try (PreparedStatement exists =
        c.prepareStatement("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?")) {
      exists.setString(1, schema);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          try (Statement create = c.createStatement()) {
            create.execute("CREATE SCHEMA " + Identifiers.quote(schema));
          }
          log.info("Created schema '{}'", schema);
        }
      }
    }
    int installed = installedVersion(c, schema);
    for (Migration m : MIGRATIONS) {
      if (m.version() > installed) {
        try (Statement st = c.createStatement()) {
          st.execute(script(m, schema));
        }
        log.info("Applied {} to schema '{}'", m.resource(), schema);
      }
    }
    int now = installedVersion(c, schema);
    if (now < latestVersion()) {
      throw new FerryException(
          "Migrating schema '"
              + schema
              + "' left it at version "
              + now
              + ", not "
              + latestVersion());
    }
    if (now > latestVersion()) {
      log.info(
          "Ferry's schema '{}' is at version {}, newer than this library's {}; a newer node"
              + " upgraded it",
          schema,
          now,
          latestVersion());
    }
    return now;
  }

  private static int installedVersion(Connection c, String schema) throws SQLException {
    try (PreparedStatement table = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      table.setString(1, Identifiers.quote(schema) + ".schema_version");
      try (ResultSet rs = table.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return 0;
        }
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(max(version), 0) FROM "
                    + Identifiers.quote(schema)
                    + ".schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String script(Migration m, String schema) {
    String path = "/dev/ferry/jdbi/" + m.resource();
    try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Missing resource " + path);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.replace(PLACEHOLDER, Identifiers.quote(schema));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }

  private interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  private static <T> T sql(Handle h, SqlWork<T> work) {
    try {
      return work.run(h.getConnection());
    } catch (SQLException e) {
      throw new FerryException(
          "Ferry schema migration failed: "
              + e.getMessage()
              + " (SQL state "
              + e.getSQLState()
              + ")",
          e);
    }
  }
}
