package dev.ferry.jdbi.testing;

import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.JdbiEnvelopeStoreBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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

  PostgresDatabase(String jdbcUrl, String username, String password, boolean embedded) {
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

  public String password() {
    return password;
  }

  /** True for the embedded server this JVM started; false for an external one. */
  public boolean embedded() {
    return embedded;
  }

  /** A schema name no other test in this JVM (or a concurrent run) uses. */
  public String newSchema() {
    return "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
  }

  /** A builder for a store on this database in a new schema, with a small pool. */
  public JdbiEnvelopeStoreBuilder storeBuilder() {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(jdbcUrl)
        .username(username)
        .password(password == null ? "" : password)
        .schema(newSchema())
        .poolSize(6)
        .connectionTimeout(Duration.ofSeconds(5))
        .jtaRegistry("none");
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
