package dev.ferry.it.matrix;

import dev.ferry.Address;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ferry.transport=servicebus}: the unmodified Azure SDK against the AMQP 1.0 Service Bus
 * test double, holding exactly the entities of the service's routing description (queues, then
 * topics, then subscriptions), as a namespace provisioned from it would. It creates nothing on
 * first use, so an entity the description misses fails the suite.
 */
final class ServiceBusMatrixTransport implements MatrixTransport {
  private ServiceBusTestDouble serviceBus;

  @Override
  public String name() {
    return "servicebus";
  }

  @Override
  public Map<String, String> start(List<Address> entities) {
    ServiceBusTestDouble.Builder namespace = ServiceBusTestDouble.builder();
    Map<String, TopicSettings> topics = new LinkedHashMap<>();
    for (Address a : entities) {
      switch (a.kind()) {
        case QUEUE -> namespace.queue(a.name());
        case TOPIC -> topics.putIfAbsent(a.name(), TopicSettings.defaults());
        case SUBSCRIPTION ->
            topics.computeIfPresent(a.name(), (t, s) -> s.withSubscription(a.subscription()));
      }
    }
    topics.forEach(namespace::topic);
    serviceBus = namespace.start();
    return Map.of(
        "ferry.transport", "servicebus",
        "ferry.servicebus.connection-string", serviceBus.connectionString(),
        "ferry.servicebus.retry.try-timeout", "5s",
        "ferry.servicebus.retry.max-retries", "1",
        "ferry.servicebus.retry.delay", "100ms");
  }

  @Override
  public void close() {
    if (serviceBus != null) {
      serviceBus.close();
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
