package dev.ferry.console;

import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;

/** PostgreSQL stores for the console's tests. */
final class TestStores {
  private TestStores() {}

  /** A store in a schema of its own, so that tests sharing the database do not see each other. */
  static JdbiEnvelopeStore inNewSchema(PostgresDatabase db) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(db.jdbcUrl())
        .username(db.username())
        .password(db.password())
        .schema(db.newSchema())
        .build();
  }
}
