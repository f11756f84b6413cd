package dev.ferry.jdbi;

import static dev.ferry.jdbi.contract.ContractData.now;
import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static dev.ferry.jdbi.contract.ContractData.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ConfigurationException;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.jdbi.internal.ConnectionPools;
import dev.ferry.jdbi.testing.PostgresDatabase;
import dev.ferry.jdbi.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.HashPrefixSqlParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the PostgreSQL store does beyond the shared contract: schema, configuration, inbox upkeep.
 */
@ExtendWith(PostgresExtension.class)
class JdbiEnvelopeStoreTest {
  private final PostgresDatabase db;
  private final List<JdbiEnvelopeStore> stores = new ArrayList<>();

  JdbiEnvelopeStoreTest(PostgresDatabase db) {
    this.db = db;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(
        s -> {
          s.close();
          db.dropSchema(s.schema());
        });
  }

  private JdbiEnvelopeStore track(JdbiEnvelopeStore s) {
    stores.add(s);
    return s;
  }

  private JdbiEnvelopeStore started(JdbiEnvelopeStoreBuilder b) {
    JdbiEnvelopeStore s = track(b.build());
    s.start("test-node");
    return s;
  }

  private int versionRows(String schema) {
    return db.jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM \"" + schema + "\".schema_version WHERE version = 1")
                    .mapTo(Integer.class)
                    .one());
  }

  @Test
  void migrationIsIdempotent() {
    JdbiEnvelopeStore first = started(db.storeBuilder());
    first.start("again");
    JdbiEnvelopeStore second = started(db.storeBuilder().schema(first.schema()));
    assertThat(second.outgoingCount()).isZero();
    assertThat(versionRows(first.schema())).isEqualTo(1);
  }

  @Test
  void nodesStartingTogetherInstallTheSchemaOnce() throws Exception {
    String schema = db.newSchema();
    int n = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JdbiEnvelopeStore s = track(db.storeBuilder().schema(schema).build());
      String node = "node-" + i;
      starts.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                s.start(node);
              }));
    }
    go.countDown();
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    assertThat(versionRows(schema)).isEqualTo(1);
    assertThat(stores.get(0).outgoingCount()).isZero();
  }

  @Test
  void badSchemaNamesAreRejected() {
    for (String bad :
        List.of(
            "Ferry", "bad-name", "x;drop table y", "\"q\"", "", "pg_x", "1abc", "a".repeat(64))) {
      assertThatThrownBy(() -> JdbiEnvelopeStore.builder().schema(bad))
          .as(bad)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("ferry.store.schema");
    }
    FerryConfig config =
        FerryConfig.of(Map.of("ferry.store.schema", "x y", "ferry.store.jdbc-url", db.jdbcUrl()));
    assertThatThrownBy(() -> JdbiEnvelopeStore.builder().config(config).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'x y' is not an acceptable schema name");
    assertThatThrownBy(() -> JdbiEnvelopeStore.migrationScript("a.b"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void withoutMigrationAMissingSchemaFailsClearlyUntilTheScriptIsApplied() throws Exception {
    JdbiEnvelopeStore s = track(db.storeBuilder().migrate(false).build());
    assertThatThrownBy(() -> s.start("n"))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("tables are missing in schema '" + s.schema() + "'")
        .hasMessageContaining("ferry.store.migrate");
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(JdbiEnvelopeStore.migrationScript(s.schema())); // what a DBA would run
    }
    s.start("n");
    assertThat(s.outgoingCount()).isZero();
    assertThat(versionRows(s.schema())).isEqualTo(1);
  }

  @Test
  void configurationComesFromKeysAndSecretsAreNotShown() {
    JdbiEnvelopeStoreBuilder shown =
        JdbiEnvelopeStore.builder().jdbcUrl("jdbc:postgresql://h/db?password=pw2").password("s3cr");
    assertThat(shown.toString()).doesNotContain("s3cr", "pw2");
    String schema = db.newSchema();
    FerryConfig config =
        FerryConfig.of(
            Map.of(
                "ferry.store.jdbc-url",
                db.jdbcUrl(),
                "ferry.store.username",
                String.valueOf(db.username()),
                "ferry.store.password",
                db.password() == null ? "" : db.password(),
                "ferry.store.schema",
                schema,
                "ferry.store.pool-size",
                "3",
                "ferry.store.jta-registry",
                "none"));
    JdbiEnvelopeStore s = started(JdbiEnvelopeStore.builder().config(config));
    assertThat(s.schema()).isEqualTo(schema);
    assertThat(s.joinsJta()).isFalse();
    assertThat(JdbiStoreKeys.PASSWORD.secret()).isTrue();
    assertThatThrownBy(() -> JdbiEnvelopeStore.builder().poolSize(1).jdbcUrl(db.jdbcUrl()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.store.pool-size");
    assertThatThrownBy(
            () -> JdbiEnvelopeStore.builder().jdbcUrl("jdbc:mysql://h/db?password=x").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("not a PostgreSQL JDBC URL")
        .hasMessageNotContaining("password=x");
  }

  @Test
  void urlsAreLoggedWithoutCredentials() {
    assertThat(
            ConnectionPools.redact("jdbc:postgresql://bob:pw1@db:5432/app?user=bob&password=pw2"))
        .isEqualTo("jdbc:postgresql://db:5432/app?...")
        .doesNotContain("pw1", "pw2");
    assertThat(ConnectionPools.redact("jdbc:postgresql://db/app"))
        .isEqualTo("jdbc:postgresql://db/app");
  }

  @Test
  void theInboxIsPurgedOfOldRowsInBatches() throws Exception {
    JdbiEnvelopeStore s = started(db.storeBuilder());
    for (int i = 0; i < 5; i++) {
      String id = "old-" + i;
      s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", id));
    }
    s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", "new"));
    s.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE \""
                        + s.schema()
                        + "\".incoming SET handled_at = now() - interval '10 days'"
                        + " WHERE message_id LIKE 'old-%'"));
    assertThat(s.purgeInbox(Instant.now().minus(Duration.ofDays(7)), 2)).isEqualTo(5);
    boolean oldAgain = s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", "old-1"));
    boolean newAgain = s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", "new"));
    assertThat(oldAgain).as("purged: no longer known").isTrue();
    assertThat(newAgain).as("kept: still a duplicate").isFalse();
    assertThatThrownBy(() -> s.purgeInbox(Instant.now(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRelayPurgesTheInboxWhenItIsTime() throws Exception {
    JdbiEnvelopeStore s =
        started(
            db.storeBuilder()
                .inboxRetention(Duration.ofMillis(200))
                .inboxPurgeInterval(Duration.ofMillis(1)));
    s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", "m"));
    Thread.sleep(300);
    s.claimOutgoing("n", 10, now(), Duration.ofSeconds(5));
    boolean again = s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:p", "m"));
    assertThat(again).isTrue();
  }

  @Test
  void aSecondRecordWaitsForTheFirstAndWinsIfItRollsBack() throws Exception {
    JdbiEnvelopeStore s = started(db.storeBuilder());
    CountDownLatch recorded = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () -> {
              try {
                s.inTransaction(
                    uow -> {
                      assertThat(s.recordIncoming(uow, "local:queue:r", "m")).isTrue();
                      recorded.countDown();
                      Thread.sleep(500);
                      throw new IllegalStateException("handler failed");
                    });
              } catch (Exception expected) {
                // rolled back
              }
            });
    assertThat(recorded.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    boolean second = s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:r", "m"));
    assertThat(second).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(200));
    first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void claimsAreCommittedAndHoldNoLocks() throws Exception {
    JdbiEnvelopeStore s = started(db.storeBuilder());
    store(s, outgoing("lock-", 3), null, null);
    assertThat(s.claimOutgoing("owner-x", 10, now(), Duration.ofMinutes(1))).hasSize(3);
    List<String> owners =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT owner FROM \"" + s.schema() + "\".outgoing FOR UPDATE NOWAIT")
                        .mapTo(String.class)
                        .list());
    assertThat(owners).containsExactly("owner-x", "owner-x", "owner-x");
  }

  @Test
  void anUnreadableRowDoesNotStopTheOthers() throws Exception {
    JdbiEnvelopeStore s = started(db.storeBuilder());
    store(s, outgoing("ok-", 2), null, null);
    s.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE \""
                        + s.schema()
                        + "\".outgoing SET destination = 'no such address' WHERE message_id = 'ok-0'"));
    assertThat(s.claimOutgoing("n", 10, now(), Duration.ofSeconds(5)))
        .extracting(o -> o.envelope().id())
        .containsExactly("ok-1");
  }

  @Test
  void aJdbiConfiguredDifferentlyStillWorks() throws Exception {
    Jdbi jdbi = db.jdbi();
    jdbi.setSqlParser(new HashPrefixSqlParser());
    JdbiEnvelopeStore s =
        started(JdbiEnvelopeStore.builder().jdbi(jdbi).schema(db.newSchema()).jtaRegistry("none"));
    store(s, outgoing("cfg-", 2), null, null);
    assertThat(s.claimOutgoing("n", 10, now(), Duration.ofSeconds(5))).hasSize(2);
    assertThat(s.jdbi()).isSameAs(jdbi);
  }
}
