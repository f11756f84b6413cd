package dev.ferry.samples.orders.functions;

import dev.ferry.functions.FerryFunctions;
import dev.ferry.samples.orders.OrderFlow;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.functions.FunctionsHostSimulator;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.util.Map;

/**
 * The function app's surroundings in a test: the Service Bus entities it uses, on a test double,
 * and its app settings, set as system properties as the Functions host sets them, naming the double
 * and a schema of its own in the test database. Closing shuts the app's bus down and clears them.
 */
final class FunctionAppSettings implements AutoCloseable {
  final ServiceBusTestDouble serviceBus;
  private final Map<String, String> settings;

  private FunctionAppSettings(ServiceBusTestDouble serviceBus, Map<String, String> settings) {
    this.serviceBus = serviceBus;
    this.settings = settings;
  }

  static FunctionAppSettings set(PostgresDatabase database) {
    ServiceBusTestDouble serviceBus =
        ServiceBusTestDouble.builder()
            .queue("orders.ship-order.v1")
            .topic(
                "orders.order-placed.v1",
                TopicSettings.defaults().withSubscription(OrderFlow.SERVICE))
            .start();
    Map<String, String> settings =
        Map.of(
            "ServiceBusConnection", serviceBus.connectionString(),
            "ferry.service-name", OrderFlow.SERVICE,
            "ferry.store.jdbc-url", database.jdbcUrl(),
            "ferry.store.username", database.username(),
            "ferry.store.password", database.password() == null ? "" : database.password(),
            "ferry.store.schema", database.newSchema());
    settings.forEach(System::setProperty);
    return new FunctionAppSettings(serviceBus, settings);
  }

  /** The Functions host running the app's {@link OrderFunctions}, up to four calls at a time. */
  FunctionsHostSimulator startHost() {
    return FunctionsHostSimulator.start(serviceBus.connectionString(), 4, 1, OrderFunctions.class);
  }

  @Override
  public void close() {
    FerryFunctions.shutdown();
    settings.keySet().forEach(System::clearProperty);
    serviceBus.close();
  }
}
