package dev.ferry.benchmarks;

import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** A PostgreSQL for one pass of the benchmark. */
final class StoreDatabase implements AutoCloseable {
  final String mode;
  final String description;
  final String jdbcUrl;
  final String user;
  final String password;
  private final EmbeddedPostgres own;

  private StoreDatabase(
      String mode,
      String description,
      String jdbcUrl,
      String user,
      String password,
      EmbeddedPostgres own) {
    this.mode = mode;
    this.description = description;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password == null ? "" : password;
    this.own = own;
  }

  static StoreDatabase start(String mode) throws IOException {
    if (mode.equals("durable")) {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "100")
              .start();
      return new StoreDatabase(
          mode,
          "embedded PostgreSQL 17, fsync on, synchronous_commit on (durable)",
          "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
          "postgres",
          "",
          pg);
    }
    if (!mode.equals("fast")) {
      throw new IllegalArgumentException("--pg takes durable and/or fast, not " + mode);
    }
    if (System.getenv("FERRY_TEST_JDBC_URL") != null) {
      PostgresDatabase external = PostgresExtension.database();
      return new StoreDatabase(
          mode,
          "external PostgreSQL " + external.jdbcUrl(),
          external.jdbcUrl(),
          external.username(),
          external.password(),
          null);
    }
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(null, 0);
    return new StoreDatabase(
        mode,
        "embedded PostgreSQL 17 as the tests run it: fsync off, synchronous_commit off",
        "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
        "postgres",
        "",
        pg);
  }

  JdbiEnvelopeStore store(String schema, int poolSize) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(jdbcUrl)
        .username(user)
        .password(password)
        .schema(schema)
        .poolSize(poolSize)
        .jtaRegistry("none")
        .build();
  }

  Connection connect() throws Exception {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  void dropSchema(String schema) throws Exception {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }
  }

  @Override
  public void close() throws IOException {
    if (own != null) {
      own.close();
    }
  }
}
