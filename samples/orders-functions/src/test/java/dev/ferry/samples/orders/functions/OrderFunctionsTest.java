package dev.ferry.samples.orders.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.samples.orders.CarrierUnavailableException;
import dev.ferry.samples.orders.NewOrder;
import dev.ferry.samples.orders.OrderFlow;
import dev.ferry.samples.orders.OrderLine;
import dev.ferry.samples.orders.OrderPlaced;
import dev.ferry.samples.orders.OrderSchema;
import dev.ferry.samples.orders.Orders;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.FunctionsHostSimulator;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The order workflow as a function app, its functions driven as the Functions host drives them (the
 * real SDK against the Service Bus test double; complete on return, abandon on throw), with the
 * handler classes the WAR runs. An order API elsewhere places orders with Ferry's outbox.
 */
@ExtendWith(PostgresExtension.class)
class OrderFunctionsTest {
  private FunctionAppSettings app;
  private Jdbi jdbi;

  @BeforeEach
  void start(PostgresDatabase database) {
    app = FunctionAppSettings.set(database);
    jdbi = Jdbi.create(database.jdbcUrl(), database.username(), database.password());
    OrderSchema.install(jdbi);
    jdbi.useHandle(h -> h.execute("truncate orders, invoices, emails, shipments"));
    jdbi.useHandle(h -> Orders.setCarrierAvailable(h, true));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void placedOrdersAreBilledMailedAndShippedByTheFunctions(PostgresDatabase database) {
    try (JdbiEnvelopeStore store = apiStore(database);
        MessageBus api = orderApi(store);
        FunctionsHostSimulator host = app.startHost()) {
      for (int i = 0; i < 10; i++) {
        placeOrder(store, api, "customer-" + i);
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> count("shipments") == 10);
      assertThat(count("invoices")).isEqualTo(10);
      assertThat(count("emails")).isEqualTo(10);
      assertThat(host.invocations("order-placed")).hasSize(10);
      assertThat(host.invocations()).allMatch(FunctionsHostSimulator.Invocation::completed);
    }
  }

  @Test
  void shipmentsTheCarrierRefusesAreRetriedByRedeliveryThenDeadLettered(PostgresDatabase database) {
    try (JdbiEnvelopeStore store = apiStore(database);
        MessageBus api = orderApi(store);
        FunctionsHostSimulator host = app.startHost()) {
      jdbi.useHandle(h -> Orders.setCarrierAvailable(h, false));
      OrderPlaced order = placeOrder(store, api, "unlucky");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> FerryFunctions.bus().deadLetters().count() == 1);
      DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
      assertThat(dead.exceptionType()).isEqualTo(CarrierUnavailableException.class.getName());
      assertThat(dead.exceptionMessage()).contains(order.orderId().toString());
      assertThat(dead.attempts()).isEqualTo(OrderFlow.SHIPPING_ATTEMPTS);
      // Each attempt was a delivery by Service Bus: two abandoned, the last completed.
      assertThat(host.invocations("shipping"))
          .extracting(FunctionsHostSimulator.Invocation::completed)
          .containsExactly(false, false, true);
      assertThat(count("invoices")).isEqualTo(1);
      assertThat(count("shipments")).isZero();
    }
  }

  /** The order API's own store, in a schema apart from the function app's. */
  private static JdbiEnvelopeStore apiStore(PostgresDatabase database) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(database.jdbcUrl())
        .username(database.username())
        .password(database.password())
        .schema(database.newSchema())
        .build();
  }

  private static MessageBus orderApi(JdbiEnvelopeStore store) {
    return OrderFlow.configure(
            MessageBus.builder()
                .serviceName("order-api")
                .transport("servicebus")
                .property(
                    "ferry.servicebus.connection-string",
                    System.getProperty("ServiceBusConnection"))
                .store(store))
        .build();
  }

  private static OrderPlaced placeOrder(JdbiEnvelopeStore store, MessageBus api, String customer) {
    return FerryJdbi.inTransaction(
        store,
        h ->
            Orders.place(
                h,
                api,
                new NewOrder(
                    customer,
                    customer + "@example.com",
                    List.of(new OrderLine("sku-1", 1, new BigDecimal("9.90"))))));
  }

  private int count(String table) {
    return jdbi.withHandle(
        h -> h.createQuery("select count(*) from " + table).mapTo(Integer.class).one());
  }
}
