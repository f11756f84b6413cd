package dev.ferry.benchmarks;

import dev.ferry.testkit.EmbeddedArtemis;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker and the database a benchmark run owns, kept under its output directory; the scenario
 * processes it forks connect to them. The broker starts on an empty journal every run, while the
 * database's directory is cleaned by the database itself.
 */
record BenchInfrastructure(EmbeddedArtemis broker, EmbeddedPostgres postgres)
    implements AutoCloseable {

  static BenchInfrastructure start(Path out) throws Exception {
    Benchmarks.deleteRecursively(out.resolve("artemis"));
    Files.createDirectories(out);
    EmbeddedArtemis broker =
        EmbeddedArtemis.builder().dataDirectory(out.resolve("artemis")).start();
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(out.resolve("postgres"))
              .setCleanDataDirectory(true)
              .start();
      return new BenchInfrastructure(broker, postgres);
    } catch (Exception e) {
      broker.close();
      throw e;
    }
  }

  /** The JDBC URL of the database the scenarios use (user postgres). */
  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Override
  public void close() throws IOException {
    try {
      postgres.close();
    } finally {
      broker.close();
    }
  }
}
