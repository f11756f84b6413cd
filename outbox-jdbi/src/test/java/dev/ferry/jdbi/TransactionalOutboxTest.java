package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store under a real bus on the local transport: business data and messages commit together,
 * handlers write through the unit of work's {@link Handle}, dead letters replay.
 */
@ExtendWith(PostgresExtension.class)
class TransactionalOutboxTest {
  private static final AtomicInteger RUN = new AtomicInteger();

  private final PostgresDatabase db;
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicBoolean failFirstAttempt = new AtomicBoolean();
  private final AtomicBoolean poisoned = new AtomicBoolean();
  private String unique;
  private JdbiEnvelopeStore store;
  private MessageBus bus;
  private String orders;
  private String handled;

  TransactionalOutboxTest(PostgresDatabase db) {
    this.db = db;
  }

  /** Writes what it handles through the handle of its unit of work. */
  public class OrderHandlers {
    @Handles
    public void on(OrderPlaced e, Handle handle) {
      attempts.incrementAndGet();
      handle.execute("INSERT INTO " + handled + " (order_id) VALUES (?)", e.id());
      if (failFirstAttempt.getAndSet(false) || poisoned.get()) {
        throw new IllegalStateException("cannot handle " + e.id() + " now");
      }
      received.add(e.id());
    }
  }

  @BeforeEach
  void start() {
    unique = "outbox" + ProcessHandle.current().pid() + "x" + RUN.incrementAndGet();
    store = TestStores.builder(db).build();
    bus = OrderMessages.shop(store, unique, new OrderHandlers());
    orders = "\"" + store.schema() + "\".orders";
    handled = "\"" + store.schema() + "\".handled";
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + orders + " (id text PRIMARY KEY)"));
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE " + handled + " (order_id text)"));
  }

  @AfterEach
  void stop() {
    bus.close();
    db.dropSchema(store.schema());
  }

  private int rows(String table, String id) {
    return store
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM " + table + " WHERE " + idColumn(table) + " = ?")
                    .bind(0, id)
                    .mapTo(Integer.class)
                    .one());
  }

  private String idColumn(String table) {
    return table.equals(orders) ? "id" : "order_id";
  }

  @Test
  void businessDataAndMessageCommitTogether() throws Exception {
    FerryJdbi.useTransaction(
        store,
        h -> {
          h.execute("INSERT INTO " + orders + " (id) VALUES (?)", "o-1");
          bus.send(new OrderPlaced("o-1"));
          long stored =
              h.createQuery("SELECT count(*) FROM \"" + store.schema() + "\".outgoing")
                  .mapTo(Long.class)
                  .one();
          // Kept for the commit, then written with the transaction's other messages in one batch.
          assertThat(stored).as("not written before the commit").isZero();
          assertThat(store.outgoingCount()).as("not yet visible to others").isZero();
          assertThat(received).isEmpty();
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-1"));
    assertThat(rows(orders, "o-1")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.outgoingCount() == 0);
  }

  @Test
  void aRollbackStoresAndSendsNothing() throws Exception {
    assertThatThrownBy(
            () ->
                FerryJdbi.useTransaction(
                    store,
                    h -> {
                      h.execute("INSERT INTO " + orders + " (id) VALUES (?)", "o-2");
                      bus.send(new OrderPlaced("o-2"));
                      throw new IllegalStateException("payment declined");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("payment declined");
    Thread.sleep(500);
    assertThat(received).isEmpty();
    assertThat(rows(orders, "o-2")).isZero();
    assertThat(store.outgoingCount()).isZero();
  }

  @Test
  @SuppressWarnings("try") // the binding is used for its scope only
  void aBoundHandleOfYourOwnJdbiCarriesTheMessages() throws Exception {
    Jdbi mine = db.jdbi();
    mine.useTransaction(
        h -> {
          try (var bound = store.bind(h)) {
            h.execute("INSERT INTO " + orders + " (id) VALUES (?)", "o-3");
            bus.send(new OrderPlaced("o-3"));
          }
        });
    assertThatThrownBy(
            () ->
                mine.useTransaction(
                    h -> {
                      try (var bound = store.bind(h)) {
                        bus.send(new OrderPlaced("o-4"));
                        throw new IllegalStateException("no");
                      }
                    }))
        .hasMessage("no");
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-3"));
    Thread.sleep(300);
    assertThat(received).containsExactly("o-3");
    assertThat(rows(orders, "o-3")).isEqualTo(1);
    assertThat(store.currentTransaction()).isEmpty();
  }

  /**
   * One binding over several transactions of the same handle: a rolled-back one leaves nothing
   * behind, and the next one's messages leave at its commit, not when the relay finds them.
   */
  @Test
  @SuppressWarnings("try") // the binding is used for its scope only
  void aBindingOverSeveralTransactionsSendsEachCommittedOnesMessagesAtItsCommit() throws Exception {
    try (Handle h = db.jdbi().open();
        var bound = store.bind(h)) {
      h.begin();
      bus.send(new OrderPlaced("o-5"));
      h.rollback();
      h.begin();
      h.execute("INSERT INTO " + orders + " (id) VALUES (?)", "o-6");
      bus.send(new OrderPlaced("o-6"));
      h.commit();
    }
    // Well within the 2 s lease after which the relay would send it.
    await().atMost(Duration.ofMillis(1500)).until(() -> received.contains("o-6"));
    Thread.sleep(300);
    assertThat(received).containsExactly("o-6");
    await().atMost(Duration.ofSeconds(5)).until(() -> store.outgoingCount() == 0);
  }

  @Test
  void aHandlersWritesCommitAndRollBackWithItsInboxRecord() throws Exception {
    failFirstAttempt.set(true);
    bus.send(new OrderPlaced("o-5"));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-5"));
    assertThat(attempts.get()).isEqualTo(2);
    assertThat(rows(handled, "o-5")).as("the failed attempt's insert was rolled back").isEqualTo(1);

    // The same message delivered twice more (a broker redelivery): the inbox skips it.
    Envelope dup =
        Envelope.builder()
            .id("dup-6")
            .messageType("ferry.test.order-placed.v1")
            .contentType("application/json")
            .body("{\"id\":\"o-6\"}".getBytes(StandardCharsets.UTF_8))
            .build();
    try (LocalTransport raw =
        new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", unique)))) {
      raw.start(
          new TransportContext("raw", "raw", FerryConfig.of(Map.of()), HostExecutors.bounded()));
      try (Sender s = raw.sender(Address.parse("local:queue:" + unique + ".orders"))) {
        s.send(List.of(dup, dup));
        s.send(List.of(dup));
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().duplicates() >= 2);
    assertThat(rows(handled, "o-6")).isEqualTo(1);
    assertThat(received).contains("o-6");
  }

  @Test
  void aDeadLetterIsStoredAndReplayed() throws Exception {
    poisoned.set(true);
    bus.send(new OrderPlaced("o-7"));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 1);
    var dl = bus.deadLetters().list(10).get(0);
    assertThat(dl.reason()).isEqualTo("handler-failed");
    assertThat(dl.exceptionType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dl.exceptionMessage()).isEqualTo("cannot handle o-7 now");
    assertThat(dl.stackTrace()).contains("OrderHandlers.on");
    assertThat(dl.attempts()).isGreaterThanOrEqualTo(1);
    assertThat(dl.envelope().messageType()).isEqualTo("ferry.test.order-placed.v1");
    assertThat(bus.deadLetters().find(dl.id())).contains(dl);
    assertThat(rows(handled, "o-7")).as("every failed attempt rolled back").isZero();

    poisoned.set(false);
    assertThat(bus.deadLetters().replay(dl.id())).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-7"));
    assertThat(bus.deadLetters().count()).isZero();
    assertThat(bus.deadLetters().replay(dl.id())).isFalse();
    assertThat(rows(handled, "o-7")).isEqualTo(1);
  }

  @Test
  void aScheduledMessageLeavesWhenDue() throws Exception {
    long start = System.nanoTime();
    bus.schedule(new OrderPlaced("o-8"), Duration.ofMillis(1500));
    Thread.sleep(700);
    assertThat(received).isEmpty();
    assertThat(store.outgoingCount()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-8"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1400));
  }

  @Test
  void anUnreadableRowBecomesADeadLetterWhileTheOthersAreDelivered() throws Exception {
    for (String id : List.of("u-1", "u-2", "u-3", "u-4")) {
      bus.schedule(new OrderPlaced(id), Duration.ofMillis(1000));
    }
    String outgoing = "\"" + store.schema() + "\".outgoing";
    String byOrder = " WHERE convert_from(body, 'UTF8') LIKE ?";
    store
        .jdbi()
        .useHandle(
            h -> {
              h.execute(
                  "UPDATE " + outgoing + " SET destination = 'not an address'" + byOrder, "%u-1%");
              h.execute("UPDATE " + outgoing + " SET headers = '\"a string\"'" + byOrder, "%u-2%");
              h.execute(
                  "UPDATE " + outgoing + " SET message_type = 'nobody.knows.v1'" + byOrder,
                  "%u-3%");
            });

    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("u-4"));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 3);
    assertThat(store.outgoingCount()).isZero();
    Map<String, String> reasonByEndpoint =
        bus.deadLetters().list(10).stream()
            .collect(
                Collectors.toMap(d -> d.endpoint() + " " + d.reason(), d -> d.exceptionMessage()));
    String queue = "local:queue:" + unique + ".orders";
    assertThat(reasonByEndpoint)
        .containsOnlyKeys(
            "not an address unreadable-outgoing-row",
            queue + " unreadable-outgoing-row",
            queue + " unknown-message-type");
    assertThat(reasonByEndpoint.get("not an address unreadable-outgoing-row"))
        .contains("column destination");
    assertThat(reasonByEndpoint.get(queue + " unreadable-outgoing-row")).contains("column headers");
    assertThat(received).containsExactly("u-4");

    // The row with unreadable headers is kept without them, and can be sent again.
    var headless =
        bus.deadLetters().list(10).stream()
            .filter(d -> d.endpoint().equals(queue) && d.reason().startsWith("unreadable"))
            .findFirst()
            .orElseThrow();
    assertThat(bus.deadLetters().replay(headless.id())).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("u-2"));
  }
}
