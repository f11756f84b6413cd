package dev.ferry.testkit.servicebus;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One double for a whole test class: started with the class's entities before its first test,
 * closed after its last, and failing the class if the double hit a bug of its own meanwhile.
 */
final class RunningDouble implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<ServiceBusTestDouble.Builder> entities;
  private final Duration tryTimeout;
  private ServiceBusTestDouble bus;
  private ServiceBusClientBuilder client;

  RunningDouble(Supplier<ServiceBusTestDouble.Builder> entities) {
    this(entities, Duration.ofSeconds(10));
  }

  /** With the SDK clients' try timeout set to {@code tryTimeout}. */
  RunningDouble(Supplier<ServiceBusTestDouble.Builder> entities, Duration tryTimeout) {
    this.entities = entities;
    this.tryTimeout = tryTimeout;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    bus = entities.get().start();
    client = Sdk.client(bus, tryTimeout);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Sdk.closeChecked(bus);
  }

  ServiceBusTestDouble bus() {
    return bus;
  }

  /** A client builder on the double, shared by the class's tests. */
  ServiceBusClientBuilder client() {
    return client;
  }
}
