package dev.ferry.jdbi;

import dev.ferry.testkit.PostgresDatabase;
import java.time.Duration;

/** Stores on the test database, each in a schema of its own, with a small pool. */
public final class TestStores {
  private TestStores() {}

  /** A builder for a store on {@code database} in a new schema. */
  public static JdbiEnvelopeStoreBuilder builder(PostgresDatabase database) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(database.jdbcUrl())
        .username(database.username())
        .password(database.password())
        .schema(database.newSchema())
        .poolSize(6)
        .connectionTimeout(Duration.ofSeconds(5))
        .jtaRegistry("none");
  }
}
