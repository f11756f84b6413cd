package dev.ferry.jdbi;

import dev.ferry.ConfigurationException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.jdbi.internal.ConnectionPools;
import dev.ferry.jdbi.internal.Identifiers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Configures a {@link JdbiEnvelopeStore}. Give it a database in one of three ways: a JDBC URL (the
 * store creates and closes its own HikariCP pool), a {@link DataSource} (an app server's, or your
 * pool), or a {@link Jdbi} (yours, with its plugins). Every key of {@link JdbiStoreKeys} has a
 * method here; values set here win over the {@link #config(FerryConfig) configuration}, which
 * defaults to system properties, environment variables and {@code ferry.properties}.
 *
 * <pre>{@code
 * JdbiEnvelopeStore store = JdbiEnvelopeStore.builder()
 *     .jdbcUrl("jdbc:postgresql://db:5432/orders")
 *     .username("orders")
 *     .password(System.getenv("DB_PASSWORD"))
 *     .schema("ferry")
 *     .build();
 * }</pre>
 */
public final class JdbiEnvelopeStoreBuilder {
  private final ConfigOverrides overrides = new ConfigOverrides();
  private FerryConfig config;
  private DataSource dataSource;
  private Jdbi jdbi;

  private FerryConfig resolved;

  JdbiEnvelopeStoreBuilder() {}

  private JdbiEnvelopeStoreBuilder set(ConfigKey<?> key, Object value) {
    overrides.set(key, value);
    return this;
  }

  /** A key's value: set here, else from the configuration, read once per {@link #build}. */
  private <T> T get(ConfigKey<T> key) {
    if (resolved == null) {
      resolved = overrides.over(config);
    }
    return resolved.get(key);
  }

  /** Reads unset keys from this configuration instead of the environment. */
  public JdbiEnvelopeStoreBuilder config(FerryConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /** Uses this {@code Jdbi} (its data source, plugins and transaction handler) as it is. */
  public JdbiEnvelopeStoreBuilder jdbi(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    return this;
  }

  /** Uses this data source, e.g. an app server's JTA-aware one looked up from JNDI. */
  public JdbiEnvelopeStoreBuilder dataSource(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    return this;
  }

  /** {@code ferry.store.jdbc-url}: the store creates its own pool for this URL. */
  public JdbiEnvelopeStoreBuilder jdbcUrl(String jdbcUrl) {
    return set(JdbiStoreKeys.JDBC_URL, jdbcUrl);
  }

  /** {@code ferry.store.username}. */
  public JdbiEnvelopeStoreBuilder username(String username) {
    return set(JdbiStoreKeys.USERNAME, username);
  }

  /** {@code ferry.store.password}; never logged. */
  public JdbiEnvelopeStoreBuilder password(String password) {
    return set(JdbiStoreKeys.PASSWORD, password);
  }

  /** {@code ferry.store.schema}: where the tables live; default {@code ferry}. */
  public JdbiEnvelopeStoreBuilder schema(String schema) {
    Identifiers.checkSchema(schema, JdbiStoreKeys.SCHEMA.name());
    return set(JdbiStoreKeys.SCHEMA, schema);
  }

  /** {@code ferry.store.migrate}: install and upgrade tables at start (default true). */
  public JdbiEnvelopeStoreBuilder migrate(boolean migrate) {
    return set(JdbiStoreKeys.MIGRATE, migrate);
  }

  /** {@code ferry.store.inbox-retention}: how long handled ids are kept (default 7 days). */
  public JdbiEnvelopeStoreBuilder inboxRetention(Duration retention) {
    return set(JdbiStoreKeys.INBOX_RETENTION, retention);
  }

  /** {@code ferry.store.inbox-purge-interval}: how often expired inbox rows are purged. */
  public JdbiEnvelopeStoreBuilder inboxPurgeInterval(Duration interval) {
    return set(JdbiStoreKeys.INBOX_PURGE_INTERVAL, interval);
  }

  /**
   * {@code ferry.store.statement-timeout}: how long one of the store's statements may run, row lock
   * waits included (default 30s; 0s: no limit).
   */
  public JdbiEnvelopeStoreBuilder statementTimeout(Duration timeout) {
    return set(JdbiStoreKeys.STATEMENT_TIMEOUT, timeout);
  }

  /** {@code ferry.store.pool-size}: connections of the store's own pool (default 10). */
  public JdbiEnvelopeStoreBuilder poolSize(int size) {
    return set(JdbiStoreKeys.POOL_SIZE, size);
  }

  /** {@code ferry.store.connection-timeout}: wait for a pooled connection (default 10s). */
  public JdbiEnvelopeStoreBuilder connectionTimeout(Duration timeout) {
    return set(JdbiStoreKeys.CONNECTION_TIMEOUT, timeout);
  }

  /** {@code ferry.store.jta-registry}: JNDI name of the JTA registry, or {@code none}. */
  public JdbiEnvelopeStoreBuilder jtaRegistry(String jndiName) {
    return set(JdbiStoreKeys.JTA_REGISTRY, jndiName);
  }

  /** Creates the store; it connects and installs its schema in {@code start}. */
  public JdbiEnvelopeStore build() {
    resolved = null; // settings may have changed since an earlier build
    String schema = Identifiers.checkSchema(get(JdbiStoreKeys.SCHEMA), JdbiStoreKeys.SCHEMA.name());
    Duration retention = positive(JdbiStoreKeys.INBOX_RETENTION);
    Duration purgeInterval = positive(JdbiStoreKeys.INBOX_PURGE_INTERVAL);
    String jta = get(JdbiStoreKeys.JTA_REGISTRY);
    boolean migrate = get(JdbiStoreKeys.MIGRATE);
    Duration statementTimeout = get(JdbiStoreKeys.STATEMENT_TIMEOUT);
    if (jdbi != null && dataSource != null) {
      throw new ConfigurationException(
          "Give the Ferry JDBI store either a Jdbi or a DataSource, not both");
    }
    if (jdbi != null) {
      return new JdbiEnvelopeStore(
          jdbi,
          null,
          false,
          "PostgreSQL through a given Jdbi",
          schema,
          migrate,
          retention,
          purgeInterval,
          jta,
          statementTimeout);
    }
    if (dataSource != null) {
      return new JdbiEnvelopeStore(
          Jdbi.create(dataSource),
          null,
          true,
          "PostgreSQL through data source " + dataSource.getClass().getName(),
          schema,
          migrate,
          retention,
          purgeInterval,
          jta,
          statementTimeout);
    }
    String url = get(JdbiStoreKeys.JDBC_URL);
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "No database for the Ferry JDBI store: set "
              + JdbiStoreKeys.JDBC_URL.name()
              + " (or "
              + JdbiStoreKeys.JDBC_URL.environmentVariable()
              + "), or give the builder a DataSource or a Jdbi");
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new ConfigurationException(
          "Invalid value for "
              + JdbiStoreKeys.JDBC_URL.name()
              + ": '"
              + ConnectionPools.redact(url)
              + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
    }
    int poolSize = get(JdbiStoreKeys.POOL_SIZE);
    if (poolSize < 2) {
      throw new ConfigurationException(
          "Invalid value for "
              + JdbiStoreKeys.POOL_SIZE.name()
              + ": "
              + poolSize
              + " (at least 2: a unit of work holds one connection while the store reads with"
              + " another)");
    }
    var pool =
        ConnectionPools.hikari(
            url,
            get(JdbiStoreKeys.USERNAME),
            get(JdbiStoreKeys.PASSWORD),
            poolSize,
            positive(JdbiStoreKeys.CONNECTION_TIMEOUT),
            "ferry-store-" + schema);
    // The store's own pool is not enlisted in JTA transactions, so it never joins them.
    return new JdbiEnvelopeStore(
        Jdbi.create(pool),
        pool,
        false,
        "PostgreSQL at " + ConnectionPools.redact(url),
        schema,
        migrate,
        retention,
        purgeInterval,
        "none",
        statementTimeout);
  }

  private Duration positive(ConfigKey<Duration> key) {
    Duration d = get(key);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new ConfigurationException("Invalid value for " + key.name() + ": must be positive");
    }
    return d;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>(overrides.values());
    shown.computeIfPresent(JdbiStoreKeys.PASSWORD.name(), (k, v) -> "****");
    shown.computeIfPresent(JdbiStoreKeys.JDBC_URL.name(), (k, v) -> ConnectionPools.redact(v));
    return "JdbiEnvelopeStoreBuilder" + shown;
  }
}
