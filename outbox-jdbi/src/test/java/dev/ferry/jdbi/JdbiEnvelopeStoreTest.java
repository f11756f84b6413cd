package dev.ferry.jdbi;

import static dev.ferry.jdbi.contract.ContractData.now;
import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static dev.ferry.jdbi.contract.ContractData.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.ConfigurationException;
import dev.ferry.DeadLetter;
import dev.ferry.FerryException;
import dev.ferry.MalformedMessageException;
import dev.ferry.config.FerryConfig;
import dev.ferry.jdbi.internal.ConnectionPools;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
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
    JdbiEnvelopeStore first = started(TestStores.builder(db));
    first.start("again");
    JdbiEnvelopeStore second = started(TestStores.builder(db).schema(first.schema()));
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
      JdbiEnvelopeStore s = track(TestStores.builder(db).schema(schema).build());
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
    JdbiEnvelopeStore s = track(TestStores.builder(db).migrate(false).build());
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
    JdbiEnvelopeStore s = started(TestStores.builder(db));
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
            TestStores.builder(db)
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
    JdbiEnvelopeStore s = started(TestStores.builder(db));
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
    JdbiEnvelopeStore s = started(TestStores.builder(db));
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
  void anUnreadableRowBecomesADeadLetterAndDoesNotStopTheOthers() throws Exception {
    JdbiEnvelopeStore s = started(TestStores.builder(db));
    List<OutgoingEnvelope> rows = outgoing("ok-", 5);
    store(s, rows, null, null);
    String table = "\"" + s.schema() + "\".outgoing";
    s.jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "UPDATE "
                      + table
                      + " SET destination = 'no such address'"
                      + " WHERE message_id = 'ok-0'");
              h.execute(
                  "UPDATE "
                      + table
                      + " SET headers = '{\"nested\": {\"not\": \"a string\"}}'"
                      + " WHERE message_id = 'ok-2'");
              // An alias nobody registered is the receiver's business: it is sent as it is.
              h.execute(
                  "UPDATE "
                      + table
                      + " SET message_type = 'nobody.knows.v1'"
                      + " WHERE message_id = 'ok-3'");
            });

    List<String> claimed =
        s.claimOutgoing("n", 10, now(), Duration.ofSeconds(5)).stream()
            .map(o -> o.envelope().id())
            .toList();

    assertThat(claimed).containsExactly("ok-1", "ok-3", "ok-4");
    assertThat(s.outgoingCount()).as("the unreadable rows left the outbox").isEqualTo(3);
    assertThat(s.deadLetterCount()).isEqualTo(2);
    DeadLetter badDestination = s.deadLetter("ok-0@no such address").orElseThrow();
    assertThat(badDestination.reason()).isEqualTo("unreadable-outgoing-row");
    assertThat(badDestination.endpoint()).isEqualTo("no such address");
    assertThat(badDestination.exceptionType()).isEqualTo(MalformedMessageException.class.getName());
    assertThat(badDestination.exceptionMessage())
        .contains("column destination", "Invalid address 'no such address'");
    assertThat(badDestination.stackTrace()).contains("IllegalArgumentException");
    assertThat(badDestination.envelope()).isEqualTo(rows.get(0).envelope());
    DeadLetter badHeaders = s.deadLetter("ok-2@local:queue:contract").orElseThrow();
    assertThat(badHeaders.reason()).isEqualTo("unreadable-outgoing-row");
    assertThat(badHeaders.endpoint()).isEqualTo("local:queue:contract");
    assertThat(badHeaders.exceptionMessage())
        .contains("column headers", "not a JSON object of strings", "{\"nested\"");
    assertThat(badHeaders.envelope())
        .as("everything but the headers is kept")
        .usingRecursiveComparison()
        .ignoringFields("headers")
        .isEqualTo(rows.get(2).envelope());
    assertThat(badHeaders.envelope().headers()).isEmpty();
    assertThat(badHeaders.attempts()).isEqualTo(rows.get(2).envelope().attempts() + 1);

    // The claim committed: nothing is left for another node, and the next claim goes on.
    assertThat(s.claimOutgoing("m", 10, now(), Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void anUnreadableRowThatCannotBeDeadLetteredIsSkippedAndTheClaimStillCommits() throws Exception {
    JdbiEnvelopeStore s = started(TestStores.builder(db));
    store(s, outgoing("sp-", 3), null, null);
    String schema = "\"" + s.schema() + "\"";
    s.jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "UPDATE "
                      + schema
                      + ".outgoing SET destination = 'x y' WHERE message_id = 'sp-1'");
              h.execute(
                  "ALTER TABLE " + schema + ".dead_letters ADD CONSTRAINT refuse CHECK (false)");
            });
    Instant t = now();
    assertThat(s.claimOutgoing("n", 10, t, Duration.ofSeconds(5)))
        .extracting(o -> o.envelope().id())
        .containsExactly("sp-0", "sp-2");
    assertThat(s.deadLetterCount()).isZero();
    assertThat(s.outgoingCount()).as("kept, under the claim's lease").isEqualTo(3);
    assertThat(s.claimOutgoing("m", 10, t.plusSeconds(1), Duration.ofSeconds(5))).isEmpty();

    s.jdbi()
        .useHandle(
            h -> h.execute("ALTER TABLE " + schema + ".dead_letters DROP CONSTRAINT refuse"));
    assertThat(s.claimOutgoing("m", 10, t.plusSeconds(6), Duration.ofSeconds(5)))
        .extracting(o -> o.envelope().id())
        .as("after the lease: the bad row is dead-lettered, the others come back")
        .containsExactly("sp-0", "sp-2");
    assertThat(s.deadLetter("sp-1@x y")).isPresent();
  }

  @Test
  void bookkeepingCommitsAsynchronouslyWithoutChangingTheSession() throws Exception {
    try (Connection c = db.connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("SET synchronous_commit TO on");
      }
      // One connection for everything the store does: what it leaves behind shows.
      JdbiEnvelopeStore s =
          started(
              JdbiEnvelopeStore.builder()
                  .jdbi(Jdbi.create(c))
                  .schema(db.newSchema())
                  .jtaRegistry("none"));
      List<OutgoingEnvelope> rows = outgoing("sc-", 3);
      store(s, rows, null, null);
      assertThat(s.claimOutgoing("n", 10, now(), Duration.ofSeconds(5))).hasSize(3);
      assertThat(s.releaseOutgoing("n", List.of(rows.get(0).id()), now())).isEqualTo(1);
      assertThat(s.deleteOutgoing("n", List.of(rows.get(1).id(), rows.get(2).id()))).isEqualTo(2);
      s.inTransaction(uow -> s.recordIncoming(uow, "local:queue:sc", "m"));
      assertThat(s.purgeInbox(Instant.now().plusSeconds(1), 10)).isEqualTo(1);
      assertThat(s.outgoingCount()).isEqualTo(1);
      assertThat(c.getAutoCommit()).isTrue();
      try (Statement st = c.createStatement();
          var rs = st.executeQuery("SHOW synchronous_commit")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("on");
      }
    }
  }

  @Test
  void connectionsThatDoNotAutoCommitGetTransactionsOfTheirOwn() throws Exception {
    try (HikariDataSource manual = new HikariDataSource()) {
      manual.setJdbcUrl(db.jdbcUrl());
      manual.setUsername(db.username());
      manual.setPassword(db.password() == null ? "" : db.password());
      manual.setAutoCommit(false);
      manual.setMaximumPoolSize(3);
      JdbiEnvelopeStore s =
          started(
              JdbiEnvelopeStore.builder()
                  .dataSource(manual)
                  .schema(db.newSchema())
                  .jtaRegistry("none"));
      List<OutgoingEnvelope> rows = outgoing("mc-", 3);
      store(s, rows, null, null);
      assertThat(s.claimOutgoing("n", 10, now(), Duration.ofMinutes(1))).hasSize(3);
      assertThat(s.deleteOutgoing("n", List.of(rows.get(0).id()))).isEqualTo(1);
      assertThat(s.releaseOutgoing("n", List.of(rows.get(1).id()), now())).isEqualTo(1);
      List<String> seenElsewhere =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT coalesce(owner, '-') FROM \""
                                  + s.schema()
                                  + "\".outgoing ORDER BY seq")
                          .mapTo(String.class)
                          .list());
      assertThat(seenElsewhere).as("committed").containsExactly("-", "n");
    }
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
