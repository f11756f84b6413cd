package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.FerryException;
import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends inside transactions run by Spring's {@link DataSourceTransactionManager} on the store's own
 * database: the store cannot join them by itself, so a send there fails instead of committing its
 * outbox row on its own; a handle bound on the transaction's connection joins them.
 */
@ExtendWith(PostgresExtension.class)
class SpringTransactionTest {
  private final PostgresDatabase db;
  private final Set<String> received = ConcurrentHashMap.newKeySet();
  private HikariDataSource dataSource;
  private JdbiEnvelopeStore store;
  private MessageBus bus;
  private TransactionTemplate transactions;
  private JdbcTemplate sql;
  private String orders;

  SpringTransactionTest(PostgresDatabase db) {
    this.db = db;
  }

  /** Records what it receives. */
  public class OrderHandlers {
    @Handles
    public void on(OrderPlaced e) {
      received.add(e.id());
    }
  }

  @BeforeEach
  void start() {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(db.jdbcUrl());
    pool.setUsername(db.username());
    pool.setPassword(db.password() == null ? "" : db.password());
    pool.setMaximumPoolSize(6);
    dataSource = new HikariDataSource(pool);
    store = TestStores.builder(db).dataSource(dataSource).build();
    String unique = store.schema();
    bus = OrderMessages.shop(store, unique, new OrderHandlers());
    orders = "\"" + store.schema() + "\".orders";
    sql = new JdbcTemplate(dataSource);
    sql.execute("CREATE TABLE " + orders + " (id text PRIMARY KEY)");
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @AfterEach
  void stop() {
    bus.close();
    db.dropSchema(store.schema());
    dataSource.close();
  }

  private long orderRows() {
    return sql.queryForObject("SELECT count(*) FROM " + orders, Long.class);
  }

  @Test
  void aSendInASpringTransactionFailsAndCommitsNothingOnItsOwn() {
    transactions.executeWithoutResult(
        status -> {
          sql.update("INSERT INTO " + orders + " (id) VALUES (?)", "o-1");
          assertThatThrownBy(() -> bus.send(new OrderPlaced("o-1")))
              .isInstanceOf(FerryException.class)
              .hasMessageContaining("Spring-managed transaction")
              .hasMessageContaining("JdbiEnvelopeStore.bind(handle)");
          status.setRollbackOnly();
        });
    assertThat(orderRows()).isZero();
    assertThat(store.outgoingCount()).as("no outbox row committed on its own").isZero();
    // Had the row been committed on its own, the relay would deliver a message for an order that
    // was rolled back.
    bus.send(new OrderPlaced("after")); // outside the transaction the bus sends as before
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
    assertThat(received).containsExactly("after");
  }

  @Test
  void aHandleBoundOnTheSpringConnectionJoinsTheTransaction() {
    Jdbi onSpringsConnection = Jdbi.create(new TransactionAwareDataSourceProxy(dataSource));
    assertThatThrownBy(
            () ->
                transactions.executeWithoutResult(
                    status -> sendBound(onSpringsConnection, "rolled-back")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(orderRows()).isZero();
    assertThat(store.outgoingCount()).as("the outbox row rolled back with the order").isZero();

    transactions.executeWithoutResult(status -> sendBound(onSpringsConnection, "o-2"));
    // Spring commits the connection itself, so no after-commit action hands the message over:
    // the relay sends the committed row once this node's lease on it has run out.
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-2"));
    assertThat(received).containsExactly("o-2");
    assertThat(orderRows()).isEqualTo(1);
  }

  @SuppressWarnings("try") // the binding is used by its extent: the send inside it joins
  private void sendBound(Jdbi jdbi, String id) {
    try (Handle handle = jdbi.open();
        JdbiEnvelopeStore.HandleBinding binding = store.bind(handle)) {
      handle.execute("INSERT INTO " + orders + " (id) VALUES (?)", id);
      bus.send(new OrderPlaced(id));
    }
    if (id.equals("rolled-back")) {
      throw new IllegalStateException("the order is refused after the send");
    }
  }

  @Test
  void aSpringScopeWithoutATransactionStillSends() {
    // SUPPORTS without an outer transaction: synchronization is on, but no transaction is.
    TransactionTemplate supports = new TransactionTemplate(transactions.getTransactionManager());
    supports.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
    supports.executeWithoutResult(status -> bus.send(new OrderPlaced("o-3")));
    await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("o-3"));
  }
}
