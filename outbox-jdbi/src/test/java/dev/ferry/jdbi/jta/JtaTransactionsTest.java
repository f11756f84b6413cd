package dev.ferry.jdbi.jta;

import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeliveryOptions;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.JtaTransactionHandler;
import dev.ferry.jdbi.TestStores;
import dev.ferry.spi.UnitOfWork;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.naming.Context;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Joining a container's JTA transaction, with {@link FakeJta} standing in for the container: the
 * registry is found in JNDI, connections are enlisted, and after-commit work waits for the JTA
 * commit. (The WAR on WildFly in it-tests checks the same against a real container.)
 */
@ExtendWith(PostgresExtension.class)
class JtaTransactionsTest {
  private static final AtomicInteger RUN = new AtomicInteger();
  private static String previousFactory;

  @MessageType("ferry.test.jta-order.v1")
  record JtaOrder(String id) {}

  private final PostgresDatabase db;
  private final FakeJta jta = new FakeJta();
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private JdbiEnvelopeStore store;
  private MessageBus bus;
  private String orders;

  JtaTransactionsTest(PostgresDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void bindJndi() {
    previousFactory = System.getProperty(Context.INITIAL_CONTEXT_FACTORY);
    System.setProperty(Context.INITIAL_CONTEXT_FACTORY, FakeJta.ContextFactory.class.getName());
  }

  @AfterAll
  static void unbindJndi() {
    if (previousFactory == null) {
      System.clearProperty(Context.INITIAL_CONTEXT_FACTORY);
    } else {
      System.setProperty(Context.INITIAL_CONTEXT_FACTORY, previousFactory);
    }
    FakeJta.bound = null;
  }

  @BeforeEach
  void start() {
    FakeJta.bound = jta;
    PGSimpleDataSource real = new PGSimpleDataSource();
    real.setUrl(db.jdbcUrl());
    real.setUser(db.username());
    real.setPassword(db.password() == null ? "" : db.password());
    store =
        JdbiEnvelopeStore.builder().dataSource(jta.enlisting(real)).schema(db.newSchema()).build();
    String unique = "jta" + ProcessHandle.current().pid() + "x" + RUN.incrementAndGet();
    bus =
        MessageBus.builder()
            .serviceName("shop")
            .localBroker(unique)
            .store(store)
            .messageTypes(JtaOrder.class)
            .route(JtaOrder.class, "queue:" + unique + ".orders")
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
            .handle(
                JtaOrder.class,
                (m, ctx) -> {
                  received.add(m.id());
                  return null;
                })
            .build();
    orders = "\"" + store.schema() + "\".orders";
    db.jdbi().useHandle(h -> h.execute("CREATE TABLE " + orders + " (id text PRIMARY KEY)"));
  }

  @AfterEach
  void stop() {
    bus.close();
    db.dropSchema(store.schema());
  }

  private int committed(String table) {
    return db.jdbi()
        .withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }

  @Test
  void messagesJoinTheJtaTransactionAndLeaveAfterItCommits() throws Exception {
    assertThat(store.joinsJta()).isTrue();
    jta.begin();
    store.jdbi().useHandle(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-1')"));
    bus.send(new JtaOrder("j-1"));
    UnitOfWork uow = store.currentTransaction().orElseThrow();
    assertThat(uow.resource(Handle.class)).isPresent();
    assertThat(store.outgoingCount()).as("seen inside the transaction").isEqualTo(1);
    assertThat(committed("\"" + store.schema() + "\".outgoing")).as("not outside").isZero();
    Thread.sleep(300);
    assertThat(received).isEmpty();
    assertThat(jta.commit()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("j-1"));
    assertThat(committed(orders)).isEqualTo(1);
    assertThat(store.currentTransaction()).isEmpty();
  }

  @Test
  void aJtaRollbackDiscardsDataAndMessages() throws Exception {
    jta.begin();
    store.jdbi().useHandle(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-2')"));
    bus.send(new JtaOrder("j-2"));
    jta.rollback();
    Thread.sleep(400);
    assertThat(received).isEmpty();
    assertThat(committed(orders)).isZero();
    assertThat(store.outgoingCount()).isZero();
  }

  @Test
  void theStoresTransactionsJoinJtaAndAFailureMarksItRollbackOnly() throws Exception {
    jta.begin();
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    uow -> {
                      store.storeOutgoing(uow, outgoing("jta-", 2), "n", null);
                      throw new IllegalStateException("handler failed");
                    }))
        .hasMessage("handler failed");
    assertThat(jta.getRollbackOnly()).isTrue();
    assertThat(jta.commit()).as("rolled back instead").isFalse();
    assertThat(store.outgoingCount()).isZero();
  }

  @Test
  void aFailedSendMarksTheJtaTransactionRollbackOnlyEvenIfTheCallerSwallowsIt() throws Exception {
    jta.begin();
    store.jdbi().useHandle(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-7')"));
    bus.send(new JtaOrder("j-7"));
    assertThatThrownBy(
            () ->
                bus.send(
                    new JtaOrder("j-8"),
                    DeliveryOptions.builder().header("nul", "a\u0000b").build()))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("could not store outgoing messages");
    // The caller carries on as if nothing happened; the container must not commit.
    assertThat(jta.getRollbackOnly()).isTrue();
    assertThat(jta.commit()).as("rolled back instead").isFalse();
    Thread.sleep(300);
    assertThat(received).isEmpty();
    assertThat(committed(orders)).isZero();
    assertThat(store.outgoingCount()).isZero();
  }

  @Test
  void rowsKeptForTheCommitAreWrittenBeforeItAndARefusedBatchRollsItBack() throws Exception {
    jta.begin();
    store.jdbi().useHandle(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-9')"));
    bus.send(new JtaOrder("j-9"));
    bus.send(new JtaOrder("j-10"));
    // Refuses the batch written before completion; the sends succeeded.
    store
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "ALTER TABLE \""
                        + store.schema()
                        + "\".outgoing ADD CONSTRAINT refuse_all CHECK (false) NOT VALID"));
    assertThatThrownBy(jta::commit)
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("the transaction was not committed")
        .hasMessageContaining("could not store outgoing messages");
    Thread.sleep(300);
    assertThat(received).isEmpty();
    assertThat(committed(orders)).isZero();
    assertThat(store.outgoingCount()).isZero();

    jta.begin();
    bus.send(new JtaOrder("j-11"));
    assertThat(jta.commit()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("j-11"));
  }

  @Test
  void theJtaAwareHandlerLeavesTheTransactionToTheContainer() throws Exception {
    JtaTransactionHandler handler = new JtaTransactionHandler(); // looked up in JNDI
    assertThat(handler.jtaActive()).isFalse();

    jta.begin();
    assertThat(handler.jtaActive()).isTrue();
    // A commit on the managed connection would throw: the handler must not commit.
    store.jdbi().useTransaction(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-3')"));
    jta.rollback();
    assertThat(committed(orders)).isZero();

    jta.begin();
    store
        .jdbi()
        .useHandle(
            h -> {
              h.execute("INSERT INTO " + orders + " VALUES ('j-4')");
              h.rollback(); // marks the JTA transaction rollback-only
            });
    assertThat(jta.commit()).isFalse();
    assertThat(committed(orders)).isZero();

    // Outside JTA the same Jdbi uses local transactions.
    assertThatThrownBy(
            () ->
                store
                    .jdbi()
                    .useTransaction(
                        h -> {
                          h.execute("INSERT INTO " + orders + " VALUES ('j-5')");
                          throw new IllegalStateException("no");
                        }))
        .hasMessage("no");
    store.jdbi().useTransaction(h -> h.execute("INSERT INTO " + orders + " VALUES ('j-6')"));
    assertThat(committed(orders)).isEqualTo(1);
  }

  @Test
  void aConnectionNotEnlistedInJtaIsRefusedAndAnOwnPoolNeverJoins() throws Exception {
    PGSimpleDataSource plain = new PGSimpleDataSource();
    plain.setUrl(db.jdbcUrl());
    plain.setUser(db.username());
    plain.setPassword(db.password() == null ? "" : db.password());
    JdbiEnvelopeStore notEnlisted =
        JdbiEnvelopeStore.builder().dataSource(plain).schema(store.schema()).build();
    JdbiEnvelopeStore ownPool = TestStores.builder(db).jtaRegistry(FakeJta.JNDI_NAME).build();
    try {
      assertThat(notEnlisted.joinsJta()).isTrue();
      assertThat(ownPool.joinsJta()).isFalse();
      jta.begin();
      assertThatThrownBy(notEnlisted::currentTransaction)
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("not enlisted");
      jta.rollback();
    } finally {
      notEnlisted.close();
      ownPool.close();
    }
  }
}
