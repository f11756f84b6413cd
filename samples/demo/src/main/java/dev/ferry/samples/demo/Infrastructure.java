package dev.ferry.samples.demo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.jdbi.JdbiStoreKeys;
import dev.ferry.jms.JmsKeys;
import dev.ferry.testkit.EmbeddedArtemis;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The broker and the database the demo runs on: embedded ones under {@code target/demo} by default,
 * or external ones when configuration names them ({@code ferry.jms.url}, {@code
 * ferry.store.jdbc-url}), or Azure Service Bus instead of a broker with {@code
 * ferry.transport=servicebus}. Nothing is installed.
 */
final class Infrastructure implements AutoCloseable {
  private final FerryConfig config;
  private EmbeddedArtemis broker;
  private EmbeddedPostgres postgres;
  private HikariDataSource dataSource;
  private String brokerUrl;
  private boolean serviceBus;

  Infrastructure(FerryConfig config) {
    this.config = config;
  }

  Infrastructure start(Path workDir) throws Exception {
    Files.createDirectories(workDir);
    serviceBus = "servicebus".equals(config.get(FerryKeys.TRANSPORT));
    if (serviceBus) {
      // Before anything starts: a missing entity would leave a listener waiting for it.
      ServiceBusEntities.check(config);
    } else {
      startArtemis(workDir);
    }
    HikariConfig pool = new HikariConfig();
    String url = config.get(JdbiStoreKeys.JDBC_URL);
    if (url == null) {
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(workDir.resolve("postgres-" + ProcessHandle.current().pid()))
              .setCleanDataDirectory(true)
              .start();
      pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
      pool.setUsername("postgres");
    } else {
      pool.setJdbcUrl(url);
      pool.setUsername(config.get(JdbiStoreKeys.USERNAME));
      pool.setPassword(config.get(JdbiStoreKeys.PASSWORD));
    }
    pool.setMaximumPoolSize(16);
    pool.setPoolName("demo");
    dataSource = new HikariDataSource(pool);
    return this;
  }

  private void startArtemis(Path workDir) throws Exception {
    brokerUrl = config.get(JmsKeys.URL);
    if (brokerUrl == null) {
      broker = EmbeddedArtemis.builder().dataDirectory(workDir.resolve("artemis")).start();
      brokerUrl = broker.tcpUrl();
    }
  }

  FerryConfig config() {
    return config;
  }

  /** Whether the services use Azure Service Bus ({@code ferry.transport=servicebus}). */
  boolean serviceBus() {
    return serviceBus;
  }

  String brokerUrl() {
    return brokerUrl;
  }

  DataSource dataSource() {
    return dataSource;
  }

  boolean brokerEmbedded() {
    return broker != null;
  }

  String describe() {
    String messaging;
    if (serviceBus) {
      messaging = "Azure Service Bus, " + ServiceBusEntities.where(config);
    } else {
      messaging = (broker != null ? "embedded Artemis at " : "Artemis at ") + brokerUrl;
    }
    return messaging
        + ", "
        + (postgres != null
            ? "embedded PostgreSQL 17"
            : "PostgreSQL at " + dataSource.getJdbcUrl().replaceAll("\\?.*", ""));
  }

  void stopBroker() throws Exception {
    broker.stop();
  }

  void startBroker() throws Exception {
    broker.startServer();
  }

  @Override
  public void close() throws IOException {
    if (dataSource != null) {
      dataSource.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
