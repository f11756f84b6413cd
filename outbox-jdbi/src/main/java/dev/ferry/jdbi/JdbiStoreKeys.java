package dev.ferry.jdbi;

import static dev.ferry.config.ConfigKey.Type.BOOLEAN;
import static dev.ferry.config.ConfigKey.Type.DURATION;
import static dev.ferry.config.ConfigKey.Type.INT;
import static dev.ferry.config.ConfigKey.Type.STRING;

import dev.ferry.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * The configuration keys of the JDBI store, declared once. Each names the {@link
 * JdbiEnvelopeStoreBuilder} method that sets the same value in code.
 */
public final class JdbiStoreKeys {
  private JdbiStoreKeys() {}

  public static final ConfigKey<String> JDBC_URL =
      ConfigKey.of(
          "ferry.store.jdbc-url",
          STRING,
          null,
          "JDBC URL of the PostgreSQL database (jdbc:postgresql://host:port/db); the store then"
              + " creates its own HikariCP pool. Unset when a DataSource or Jdbi is given in code.",
          "jdbcUrl");

  public static final ConfigKey<String> USERNAME =
      ConfigKey.of(
          "ferry.store.username",
          STRING,
          null,
          "Database user for the store's own pool.",
          "username");

  public static final ConfigKey<String> PASSWORD =
      ConfigKey.secret(
          "ferry.store.password", "Database password for the store's own pool.", "password");

  public static final ConfigKey<String> SCHEMA =
      ConfigKey.of(
          "ferry.store.schema",
          STRING,
          "ferry",
          "Schema holding the store's tables: lower-case letters, digits and '_'. Use a schema of"
              + " its own.",
          "schema");

  public static final ConfigKey<Boolean> MIGRATE =
      ConfigKey.of(
          "ferry.store.migrate",
          BOOLEAN,
          "true",
          "Install and upgrade the tables at start; when false, only check the schema version and"
              + " fail if the scripts were not applied.",
          "migrate");

  public static final ConfigKey<Duration> INBOX_RETENTION =
      ConfigKey.of(
          "ferry.store.inbox-retention",
          DURATION,
          "7d",
          "How long handled message ids are kept for duplicate detection; longer than any"
              + " redelivery the broker may make.",
          "inboxRetention");

  public static final ConfigKey<Duration> INBOX_PURGE_INTERVAL =
      ConfigKey.of(
          "ferry.store.inbox-purge-interval",
          DURATION,
          "1m",
          "How often the outbox relay also purges inbox rows older than the retention.",
          "inboxPurgeInterval");

  public static final ConfigKey<Duration> STATEMENT_TIMEOUT =
      ConfigKey.of(
          "ferry.store.statement-timeout",
          DURATION,
          "30s",
          "How long one of the store's own statements may run, waits for row locks included,"
              + " before the driver cancels it and the operation fails like any store failure (a"
              + " transaction that never ends cannot hold the others' inbox inserts for good)."
              + " 0s: no limit.",
          "statementTimeout");

  public static final ConfigKey<Integer> POOL_SIZE =
      ConfigKey.of(
          "ferry.store.pool-size",
          INT,
          "10",
          "Connections in the store's own pool at most (at least 2).",
          "poolSize");

  public static final ConfigKey<Duration> CONNECTION_TIMEOUT =
      ConfigKey.of(
          "ferry.store.connection-timeout",
          DURATION,
          "10s",
          "How long the store's own pool waits for a connection before the call fails.",
          "connectionTimeout");

  public static final ConfigKey<String> JTA_REGISTRY =
      ConfigKey.of(
          "ferry.store.jta-registry",
          STRING,
          "java:comp/TransactionSynchronizationRegistry",
          "JNDI name of the JTA TransactionSynchronizationRegistry whose transactions the store"
              + " joins when it is bound (app servers) and the store was given the container's"
              + " DataSource or a Jdbi on it; 'none' never joins JTA. The store's own pool never"
              + " does.",
          "jtaRegistry");

  /** Every key of this module, in reference order. */
  public static List<ConfigKey<?>> all() {
    return List.of(
        JDBC_URL,
        USERNAME,
        PASSWORD,
        SCHEMA,
        MIGRATE,
        INBOX_RETENTION,
        INBOX_PURGE_INTERVAL,
        STATEMENT_TIMEOUT,
        POOL_SIZE,
        CONNECTION_TIMEOUT,
        JTA_REGISTRY);
  }
}
