package dev.ferry.jdbi;

import static dev.ferry.jdbi.contract.ContractData.deadLetter;
import static dev.ferry.jdbi.contract.ContractData.now;
import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static dev.ferry.jdbi.contract.ContractData.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeliveryOptions;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The database going away: calls fail with a clear exception, nothing stored is lost. */
@ExtendWith(PostgresExtension.class)
class DatabaseOutageTest {

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableDatabaseFailsTheStartClearly() throws Exception {
    int closed = freePort();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:" + closed + "/app?password=hunter2")
            .username("app")
            .password("hunter3")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.start("n"))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not install its schema")
          .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + closed + "/app")
          .hasMessageNotContaining("hunter");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThatThrownBy(() -> store.claimOutgoing("n", 10, now(), Duration.ofSeconds(1)))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not claim outgoing messages");
    } finally {
      store.close();
    }
  }

  @Test
  void callsFailWhileTheDatabaseIsDownAndNothingIsLost(@TempDir Path data) throws Exception {
    Assumptions.assumeTrue(
        System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
    int port = freePort();
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(data, port);
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres")
            .username("postgres")
            .schema("outage")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    MessageBus bus =
        MessageBus.builder()
            .serviceName("outage")
            .localBroker("outage" + ProcessHandle.current().pid())
            .store(store)
            .messageTypes(OrderPlaced.class)
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
            .handle(
                OrderPlaced.class,
                (m, ctx) -> {
                  received.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
                  return null;
                })
            .build();
    try {
      store(store, outgoing("kept-", 3), null, now().plusSeconds(3600)); // unowned: for the relay
      store.storeDeadLetter(deadLetter("dl", "local:queue:x", now()));
      await().atMost(Duration.ofSeconds(5)).until(() -> store.outgoingCount() == 0);
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE outage.orders (id text PRIMARY KEY)"));

      store(store, outgoing("parked-", 2), "elsewhere", now().plusSeconds(3600));
      // Due while the database is down: the relay must send it once it is back.
      Instant due = Instant.now().plusMillis(800);
      bus.schedule(new OrderPlaced("due-during-outage"), due);
      pg.close();

      assertThatThrownBy(() -> bus.send(new OrderPlaced("lost?")))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("Ferry JDBI store could not")
          .hasMessageContaining("schema 'outage'");
      // Inside a business transaction: the transaction fails, and with it the send. Which
      // statement notices first is a race: the pool when it hands out the connection (the store's
      // exception), or the application's own insert on a connection the server is terminating
      // (JDBI's), since the outbox row is written with the transaction's other statements.
      assertThatThrownBy(
              () ->
                  FerryJdbi.useTransaction(
                      store,
                      h -> {
                        bus.send(new OrderPlaced("lost?"));
                        h.execute("INSERT INTO outage.orders (id) VALUES ('lost?')");
                      }))
          .isInstanceOfAny(FerryException.class, JdbiException.class);
      assertThatThrownBy(store::outgoingCount)
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not count outgoing messages");
      assertThatThrownBy(() -> store.storeDeadLetter(deadLetter("dl2", "local:queue:x", now())))
          .isInstanceOf(FerryException.class);
      assertThatThrownBy(() -> store(store, outgoing("during-", 1), null, null))
          .isInstanceOf(RuntimeException.class);
      await().until(() -> Instant.now().isAfter(due.plusMillis(500))); // the relay kept failing

      pg = PostgresExtension.startEmbedded(data, port);
      JdbiEnvelopeStore s = store;
      await().atMost(Duration.ofSeconds(10)).until(() -> received.containsKey("due-during-outage"));
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> s.outgoingCount() == 2);
      assertThat(store.deadLetterCount()).isEqualTo(1);
      bus.send(new OrderPlaced("after"));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.containsKey("after"));
      Thread.sleep(300);
      assertThat(received).doesNotContainKey("lost?");
      assertThat(received.get("due-during-outage")).hasValue(1);
      int orders =
          store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM outage.orders")
                          .mapTo(Integer.class)
                          .one());
      assertThat(orders).isZero();
    } finally {
      bus.close();
      pg.close();
    }
  }

  /**
   * The connection dies in the middle of a business transaction: the send fails with a clear
   * exception, and so does the transaction, also when the caller swallows the send's exception;
   * neither the business row nor the message is kept, and nothing is sent.
   */
  @Test
  @SuppressWarnings("try") // the binding is used for its scope only
  void aConnectionLostInsideABusinessTransactionFailsItAndSendsNothing(PostgresDatabase db)
      throws Exception {
    try (CountingShop shop = new CountingShop(db, "midtx")) {

      assertThatThrownBy(
              () ->
                  FerryJdbi.useTransaction(
                      shop.store,
                      h -> {
                        h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('cut-1')");
                        terminate(db, h);
                        shop.bus.send(new OrderPlaced("cut-1"));
                      }))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not store outgoing messages")
          .hasMessageContaining("schema '" + shop.store.schema() + "'");

      // The store's transaction keeps its rows for the commit, so the send itself does not touch
      // the dead connection: the commit is what fails, whatever the caller does with the send.
      List<FerryException> swallowed = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  FerryJdbi.useTransaction(
                      shop.store,
                      h -> {
                        h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('cut-2')");
                        terminate(db, h);
                        try {
                          shop.bus.send(new OrderPlaced("cut-2"));
                        } catch (FerryException e) {
                          swallowed.add(e); // a careless caller
                        }
                      }))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("the transaction was not committed")
          .hasMessageContaining("could not store outgoing messages");
      assertThat(swallowed).isEmpty();

      // A bound handle's rows are written at once (the store cannot see its commit coming), so
      // there the send fails, and so does the commit.
      Jdbi mine = db.jdbi();
      assertThatThrownBy(
              () ->
                  mine.useTransaction(
                      h -> {
                        try (var bound = shop.store.bind(h)) {
                          h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('cut-3')");
                          terminate(db, h);
                          try {
                            shop.bus.send(new OrderPlaced("cut-3"));
                          } catch (FerryException e) {
                            swallowed.add(e);
                          }
                        }
                      }))
          .isInstanceOf(RuntimeException.class);
      assertThat(swallowed)
          .singleElement()
          .satisfies(e -> assertThat(e).hasMessageContaining("could not store outgoing messages"));

      shop.bus.send(new OrderPlaced("after"));
      await().atMost(Duration.ofSeconds(10)).until(() -> shop.received.containsKey("after"));
      Thread.sleep(300);
      assertThat(shop.received).containsOnlyKeys("after");
      assertThat(shop.store.outgoingCount()).isZero();
      int rows =
          shop.store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM " + shop.orders)
                          .mapTo(Integer.class)
                          .one());
      assertThat(rows).isZero();
    }
  }

  /**
   * A store write fails on a live connection (PostgreSQL refuses the value), and the caller
   * swallows the exception: PostgreSQL has aborted the transaction and would turn its commit into a
   * silent rollback. The commit fails loudly instead, with the store's transaction and with a bound
   * handle of the caller's own, and the message sent before the failure in the same transaction
   * does not leave.
   */
  @Test
  @SuppressWarnings("try") // the binding is used for its scope only
  void aFailedStoreWriteFailsTheCommitEvenIfTheCallerSwallowsIt(PostgresDatabase db)
      throws Exception {
    try (CountingShop shop = new CountingShop(db, "spoiled")) {
      DeliveryOptions unstorable = DeliveryOptions.builder().header("nul", "a\u0000b").build();
      List<FerryException> swallowed = new ArrayList<>();

      assertThatThrownBy(
              () ->
                  FerryJdbi.useTransaction(
                      shop.store,
                      h -> {
                        h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('spoiled-1')");
                        shop.bus.send(new OrderPlaced("before-1"));
                        try {
                          shop.bus.send(new OrderPlaced("spoiled-1"), unstorable);
                        } catch (FerryException e) {
                          swallowed.add(e);
                        }
                      }))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("the transaction was not committed")
          .hasMessageContaining("could not store outgoing messages");

      Jdbi mine = db.jdbi();
      assertThatThrownBy(
              () ->
                  mine.useTransaction(
                      h -> {
                        try (var bound = shop.store.bind(h)) {
                          h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('spoiled-2')");
                          shop.bus.send(new OrderPlaced("before-2"));
                          try {
                            shop.bus.send(new OrderPlaced("spoiled-2"), unstorable);
                          } catch (FerryException e) {
                            swallowed.add(e);
                          }
                        }
                      }))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("the transaction was not committed");

      assertThat(swallowed)
          .hasSize(2)
          .allSatisfy(e -> assertThat(e).hasMessageContaining("could not store outgoing messages"));
      shop.bus.send(new OrderPlaced("after"));
      await().atMost(Duration.ofSeconds(10)).until(() -> shop.received.containsKey("after"));
      Thread.sleep(300);
      assertThat(shop.received).as("nothing of the failed transactions").containsOnlyKeys("after");
      assertThat(shop.store.outgoingCount()).isZero();
      int rows =
          shop.store
              .jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM " + shop.orders)
                          .mapTo(Integer.class)
                          .one());
      assertThat(rows).as("business rows").isZero();
    }
  }

  /**
   * The batch of a transaction's outgoing rows, written just before the commit, is refused by the
   * database (here a constraint added in the same transaction, so the sends themselves succeed):
   * the caller gets the exception from the commit, the business row and every message of the
   * transaction are gone, nothing is sent, and the next transaction works.
   */
  @Test
  void aBufferedBatchRefusedAtCommitFailsTheTransactionAndSendsNothing(PostgresDatabase db)
      throws Exception {
    try (CountingShop shop = new CountingShop(db, "batch")) {
      List<String> sent = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  FerryJdbi.useTransaction(
                      shop.store,
                      h -> {
                        h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('refused')");
                        for (int i = 0; i < 5; i++) {
                          shop.bus.send(new OrderPlaced("refused-" + i));
                          sent.add("refused-" + i);
                        }
                        h.execute(
                            "ALTER TABLE "
                                + shop.schema
                                + ".outgoing ADD CONSTRAINT refuse_all CHECK (false) NOT VALID");
                      }))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("the transaction was not committed")
          .hasMessageContaining("could not store outgoing messages")
          .hasMessageContaining("refuse_all");
      assertThat(sent).as("the sends only kept the rows").hasSize(5);

      FerryJdbi.useTransaction(
          shop.store,
          h -> {
            h.execute("INSERT INTO " + shop.orders + " (id) VALUES ('kept')");
            shop.bus.send(new OrderPlaced("kept-1"));
            shop.bus.send(new OrderPlaced("kept-2"));
          });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> shop.received.containsKey("kept-1") && shop.received.containsKey("kept-2"));
      Thread.sleep(300);
      assertThat(shop.received).containsOnlyKeys("kept-1", "kept-2");
      await().atMost(Duration.ofSeconds(5)).until(() -> shop.store.outgoingCount() == 0);
      List<String> rows =
          shop.store
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT id FROM " + shop.orders).mapTo(String.class).list());
      assertThat(rows).containsExactly("kept");
    }
  }

  /**
   * The commit itself fails (a deferred constraint checked only at commit): with one message the
   * row and the {@code COMMIT} go in one round trip, with several the batch and then the commit;
   * either way the caller gets the failure, nothing is kept or sent, and the pooled connections go
   * on working.
   */
  @Test
  void aCommitRefusedByTheDatabaseFailsTheTransactionWithOneOrManyMessages(PostgresDatabase db)
      throws Exception {
    try (CountingShop shop = new CountingShop(db, "deferred")) {
      shop.store
          .jdbi()
          .useHandle(
              h -> {
                h.execute(
                    "CREATE FUNCTION "
                        + shop.schema
                        + ".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id LIKE"
                        + " 'refused%' THEN RAISE EXCEPTION 'order % refused at commit', NEW.id;"
                        + " END IF; RETURN NULL; END $$");
                h.execute(
                    "CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON "
                        + shop.orders
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "
                        + shop.schema
                        + ".refuse()");
              });
      for (int messages : new int[] {1, 3}) {
        for (int round = 0; round < 3; round++) {
          String id = "refused-" + messages + "-" + round;
          assertThatThrownBy(
                  () ->
                      FerryJdbi.useTransaction(
                          shop.store,
                          h -> {
                            h.execute("INSERT INTO " + shop.orders + " (id) VALUES (?)", id);
                            for (int i = 0; i < messages; i++) {
                              shop.bus.send(new OrderPlaced(id + "-" + i));
                            }
                          }))
              .isInstanceOf(FerryException.class)
              .hasStackTraceContaining("order " + id + " refused at commit");
          String ok = "ok-" + messages + "-" + round;
          FerryJdbi.useTransaction(
              shop.store,
              h -> {
                h.execute("INSERT INTO " + shop.orders + " (id) VALUES (?)", ok);
                for (int i = 0; i < messages; i++) {
                  shop.bus.send(new OrderPlaced(ok + "-" + i));
                }
              });
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> shop.received.size() == 12);
      Thread.sleep(300);
      assertThat(shop.received.keySet()).allSatisfy(id -> assertThat(id).startsWith("ok-"));
      await().atMost(Duration.ofSeconds(5)).until(() -> shop.store.outgoingCount() == 0);
      List<String> rows =
          shop.store
              .jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT id FROM " + shop.orders).mapTo(String.class).list());
      assertThat(rows).hasSize(6).allSatisfy(id -> assertThat(id).startsWith("ok-"));
    }
  }

  /** Ends the server process behind the handle's connection, as a network failure would. */
  private static void terminate(PostgresDatabase db, Handle h) {
    int pid = h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one();
    boolean done =
        db.jdbi()
            .withHandle(
                other ->
                    other
                        .createQuery("SELECT pg_terminate_backend(?)")
                        .bind(0, pid)
                        .mapTo(Boolean.class)
                        .one());
    assertThat(done).isTrue();
  }

  /**
   * A bus on a store of its own, in a new schema, that sends OrderPlaced to its own queue and
   * counts what it handles, beside the business table {@link #orders} in the same schema. Closing
   * closes the bus and drops the schema.
   */
  private static final class CountingShop implements AutoCloseable {
    final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    final JdbiEnvelopeStore store;
    final MessageBus bus;

    /** The store's schema, quoted for SQL, and the orders table in it. */
    final String schema;

    final String orders;
    private final PostgresDatabase db;

    CountingShop(PostgresDatabase db, String name) {
      this.db = db;
      this.store = TestStores.builder(db).build();
      String unique = name + ProcessHandle.current().pid() + "x" + System.nanoTime();
      this.bus = countingBus(store, unique, received);
      this.schema = "\"" + store.schema() + "\"";
      this.orders = schema + ".orders";
      store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + orders + " (id text PRIMARY KEY)"));
    }

    @Override
    public void close() {
      bus.close();
      db.dropSchema(store.schema());
    }
  }

  /** A bus on {@code store} that sends OrderPlaced to its own queue and counts what it handles. */
  private static MessageBus countingBus(
      JdbiEnvelopeStore store, String unique, Map<String, AtomicInteger> received) {
    return MessageBus.builder()
        .serviceName("outage")
        .localBroker(unique)
        .store(store)
        .messageTypes(OrderPlaced.class)
        .route(OrderPlaced.class, "queue:" + unique)
        .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
        .handle(
            OrderPlaced.class,
            (m, ctx) -> {
              received.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
              return null;
            })
        .build();
  }
}
