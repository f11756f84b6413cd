package dev.ferry.it.matrix;

import dev.ferry.servicebus.testing.ServiceBusTestDouble;
import java.util.Map;

/**
 * {@code ferry.transport=servicebus}: the unmodified Azure SDK against the AMQP 1.0 Service Bus
 * test double, which creates queues, topics and subscriptions on first use as a namespace with
 * those entities provisioned would have them.
 */
final class ServiceBusMatrixTransport implements MatrixTransport {
  private ServiceBusTestDouble serviceBus;

  @Override
  public String name() {
    return "servicebus";
  }

  @Override
  public Map<String, String> start() {
    serviceBus = ServiceBusTestDouble.builder().autoCreateEntities(true).start();
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
