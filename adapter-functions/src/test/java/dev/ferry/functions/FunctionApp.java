package dev.ferry.functions;

import dev.ferry.functions.app.ParcelHandlers;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The test function app's surroundings, as a function app has them: a Service Bus namespace (the
 * test double) with the app's entities, a PostgreSQL schema, and app settings (set as system
 * properties, which Ferry reads like environment variables) naming both. The triggers' connection
 * setting {@code ServiceBusConnection} is the only Service Bus setting: Ferry sends with it too.
 */
final class FunctionApp implements AutoCloseable {
  static final int MAX_DELIVERY_COUNT = 10;

  final ServiceBusTestDouble serviceBus;
  final String schema;
  final Jdbi jdbi;
  private final Map<String, String> settings = new HashMap<>();

  FunctionApp(PostgresDatabase database, Map<String, String> extraSettings) {
    this(
        database.jdbcUrl(),
        database.username(),
        database.password(),
        database.newSchema(),
        extraSettings);
  }

  FunctionApp(
      String jdbcUrl,
      String username,
      String password,
      String schema,
      Map<String, String> extraSettings) {
    this.serviceBus =
        ServiceBusTestDouble.builder()
            .queue("parcels", EntitySettings.defaults().withMaxDeliveryCount(MAX_DELIVERY_COUNT))
            .topic(
                "parcel-shipped",
                TopicSettings.defaults().withSubscription("tracking").withSubscription("billing"))
            .start();
    this.schema = schema;
    this.jdbi = Jdbi.create(jdbcUrl, username, password);
    jdbi.useHandle(
        h -> {
          h.execute("create schema if not exists " + schema);
          h.execute(
              "create table "
                  + schema
                  + ".shipments (parcel_id text not null, attempt int not null)");
        });
    ParcelHandlers.shipmentsTable = schema + ".shipments";
    ParcelHandlers.reset();
    settings.put("ServiceBusConnection", serviceBus.connectionString());
    settings.put("ferry.service-name", "parcels");
    settings.put("ferry.store.jdbc-url", jdbcUrl);
    settings.put("ferry.store.username", username);
    settings.put("ferry.store.password", password == null ? "" : password);
    settings.put("ferry.store.schema", schema);
    settings.put("ferry.store.pool-size", "4");
    settings.putAll(extraSettings);
    settings.forEach(System::setProperty);
  }

  int shipments(String parcelId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("select count(*) from " + schema + ".shipments where parcel_id = :id")
                .bind("id", parcelId)
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public void close() {
    FerryFunctions.shutdown();
    settings.keySet().forEach(System::clearProperty);
    serviceBus.close();
  }
}
