package dev.ferry.it.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.BusBuilder;
import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import dev.ferry.it.support.Db;
import dev.ferry.it.support.PostgresLauncher;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.samples.orders.BillingHandler;
import dev.ferry.samples.orders.EmailHandler;
import dev.ferry.samples.orders.NewOrder;
import dev.ferry.samples.orders.OrderFlow;
import dev.ferry.samples.orders.OrderLine;
import dev.ferry.samples.orders.OrderPlaced;
import dev.ferry.samples.orders.OrderSchema;
import dev.ferry.samples.orders.Orders;
import dev.ferry.samples.orders.OutOfStockException;
import dev.ferry.samples.orders.ShippingWorker;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The transport switch: the sample's handlers, wiring ({@link OrderFlow}) and business transaction
 * ({@link Orders#place}) run unchanged on every transport, routed by the conventions alone (no
 * route, no endpoint named anywhere); only the configuration keys of {@link MatrixTransport#start}
 * differ. Two nodes of the service share the broker and the PostgreSQL store, as two servers would.
 * (WildFly's own Artemis is the column the Arquillian suites cover.)
 *
 * <p>Columns: {@code local}, {@code jms} (embedded Artemis) and {@code servicebus} (the Service Bus
 * test double).
 */
class TransportMatrixIT {
  static final Duration WAIT = Duration.ofSeconds(30);

  static Stream<MatrixTransport> transports() {
    return Stream.of(
        new LocalMatrixTransport(), new JmsMatrixTransport(), new ServiceBusMatrixTransport());
  }

  @ParameterizedTest(name = "ferry.transport={0}")
  @MethodSource("transports")
  void theOrderFlowRunsUnchanged(MatrixTransport transport) throws Exception {
    String suite = transport.name();
    Db db = new Db(suite);
    OrderSchema.install(
        Jdbi.create(
            PostgresLauncher.url(suite), PostgresLauncher.user(), PostgresLauncher.password()));
    try (transport) {
      Map<String, String> config =
          new LinkedHashMap<>(
              transport.start(Node.definition("describe").describeRouting().entities()));
      config.put("ferry.service-name", OrderFlow.SERVICE);
      config.put("ferry.listener.concurrency", "2");
      config.put("ferry.outbox.poll-interval", "200ms");
      try (Node a = new Node("node-a", suite, config);
          Node b = new Node("node-b", suite, config)) {
        // A listener attaches its consumers on its own threads, after build() returned; a JMS
        // topic keeps events only for subscriptions that exist. Give them a moment on the very
        // first start (later starts find the durable subscriptions in place).
        Thread.sleep(1500);

        // 1. Orders placed on both nodes: the service's subscription gets one copy of each event,
        //    billed and mailed once; the shipping workers of both nodes compete for the commands.
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          ids.add((i % 2 == 0 ? a : b).place(order("m" + i, "BOOK", 1)).orderId());
        }
        await()
            .atMost(WAIT)
            .untilAsserted(
                () -> {
                  for (UUID id : ids) {
                    assertThat(db.rows("invoices", id)).as("invoice " + id).isEqualTo(1);
                    assertThat(db.rows("emails", id)).as("email " + id).isEqualTo(1);
                    assertThat(db.rows("shipments", id)).as("shipment " + id).isEqualTo(1);
                  }
                });
        assertThat(
                db.strings(
                    "select distinct worker from shipments where order_id = any (?)",
                    (Object) ids.toArray(UUID[]::new)))
            .hasSizeGreaterThan(1);

        // 2. A rolled-back business transaction publishes nothing.
        String sku = "RARE-" + suite;
        String customer = "rollback-" + suite;
        a.jdbi().useHandle(h -> Orders.setStock(h, sku, 1));
        assertThatThrownBy(() -> a.place(order(customer, sku, 2)))
            .isInstanceOf(OutOfStockException.class);
        assertThat(db.count("select count(*) from orders where customer = ?", customer)).isZero();
        assertThat(db.outgoingMentioning(customer)).isZero();

        // 3. Shipping fails while the carrier is closed: retries, then a dead letter; replayed
        //    once it is open again.
        a.jdbi().useHandle(h -> Orders.setCarrierAvailable(h, false));
        UUID failing = b.place(order("dl-" + suite, "LAMP", 1)).orderId();
        DeadLetter dl =
            await()
                .atMost(WAIT)
                .until(
                    () ->
                        a.bus.deadLetters().list(100).stream()
                            .filter(d -> d.exceptionMessage().contains(failing.toString()))
                            .findFirst()
                            .orElse(null),
                    d -> d != null);
        assertThat(dl.endpoint()).isEqualTo(suite + ":" + OrderFlow.SHIPPING_QUEUE);
        assertThat(dl.attempts()).isEqualTo(OrderFlow.SHIPPING_ATTEMPTS);
        a.jdbi().useHandle(h -> Orders.setCarrierAvailable(h, true));
        assertThat(b.bus.deadLetters().replay(dl.id())).isTrue();
        await().atMost(WAIT).until(() -> db.rows("shipments", failing) == 1);
        assertThat(
                db.count(
                    "select count(*) from emails where recipient = ?", customer + "@example.com"))
            .isZero();
      }
    }
  }

  static NewOrder order(String customer, String sku, int quantity) {
    return new NewOrder(
        customer,
        customer + "@example.com",
        List.of(new OrderLine(sku, quantity, new BigDecimal("9.90"))));
  }

  /** One node of the service: a store of its own on the shared schema, a bus on the transport. */
  static final class Node implements AutoCloseable {
    final JdbiEnvelopeStore store;
    final MessageBus bus;

    Node(String name, String suite, Map<String, String> config) {
      store =
          JdbiEnvelopeStore.builder()
              .jdbcUrl(PostgresLauncher.url(suite))
              .username(PostgresLauncher.user())
              .password(PostgresLauncher.password())
              .schema(PostgresLauncher.store(suite))
              .poolSize(8)
              .jtaRegistry("none")
              .build();
      var builder = definition(name);
      config.forEach(builder::property);
      bus = builder.nodeId(name).store(store).build();
    }

    /** The service as every node runs it: the sample's wiring and handlers, conventions only. */
    static BusBuilder definition(String node) {
      return OrderFlow.configure(MessageBus.builder())
          .serviceName(OrderFlow.SERVICE)
          .handlers(new BillingHandler(), new EmailHandler(), new ShippingWorker(node));
    }

    Jdbi jdbi() {
      return store.jdbi();
    }

    OrderPlaced place(NewOrder order) {
      return FerryJdbi.inTransaction(store, h -> Orders.place(h, bus, order));
    }

    @Override
    public void close() {
      bus.close();
    }
  }
}
