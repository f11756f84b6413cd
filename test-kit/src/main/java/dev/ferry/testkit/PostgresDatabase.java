package dev.ferry.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * A PostgreSQL database for tests: the embedded one {@link PostgresExtension} started, or the
 * server named by {@code FERRY_TEST_JDBC_URL}. Tests isolate themselves with {@link #newSchema()}.
 */
public final class PostgresDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();

  private final String jdbcUrl;
  private final String username;
  private final String password;
  private final boolean embedded;

  /**
   * A database at {@code jdbcUrl}; {@code embedded} tells whether this JVM started it (and may stop
   * it).
   */
  public PostgresDatabase(String jdbcUrl, String username, String password, boolean embedded) {
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
    this.embedded = embedded;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  /** The password, empty when there is none. */
  public String password() {
    return password == null ? "" : password;
  }

  /** True for the embedded server this JVM started; false for an external one. */
  public boolean embedded() {
    return embedded;
  }

  /** A schema name no other test in this JVM (or a concurrent run) uses. */
  public String newSchema() {
    return "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
  }

  /** A {@code Jdbi} on plain driver connections (no pool), for test code's own statements. */
  public Jdbi jdbi() {
    return Jdbi.create(jdbcUrl, username, password == null ? "" : password);
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, username, password == null ? "" : password);
  }

  /** Drops a schema and everything in it. */
  public void dropSchema(String schema) {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return (embedded ? "embedded " : "external ") + jdbcUrl;
  }
}
