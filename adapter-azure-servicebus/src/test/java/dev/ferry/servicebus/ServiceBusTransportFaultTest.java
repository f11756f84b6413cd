package dev.ferry.servicebus;

import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.conformance.TransportFaultSuite;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TransportFaultSuite} on Service Bus: the real SDK against the AMQP test double, every
 * queue with MaxDeliveryCount 10 (the default). Killing it drops every client connection without a
 * goodbye and keeps the entities and their messages, as the service does when a gateway goes away;
 * locks the dropped connections held run out (5 s on the queue the broker is killed under, so that
 * the test does not wait a minute) and those deliveries count, as on Service Bus.
 */
class ServiceBusTransportFaultTest extends TransportFaultSuite {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    ServiceBusTestDouble.Builder b = ServiceBusTestDouble.builder();
    for (String queue : QUEUES) {
      EntitySettings settings = EntitySettings.defaults().withMaxDeliveryCount(10);
      b.queue(
          queue,
          queue.equals("faults.crash")
              ? settings.withLockDuration(Duration.ofSeconds(5))
              : settings);
    }
    serviceBus = b.start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @Override
  protected String transportName() {
    return "Service Bus";
  }

  @Override
  protected EnvelopeStore newStore(PostgresDatabase database, Duration connectionTimeout) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(database.jdbcUrl())
        .username(database.username())
        .password(database.password())
        .schema(database.newSchema())
        .connectionTimeout(connectionTimeout)
        .build();
  }

  @Override
  protected Transport newTransport() {
    return Doubles.transport(serviceBus).tryTimeout(Duration.ofSeconds(1)).build();
  }

  @Override
  protected int nativeDeadLetters(String queue) {
    return serviceBus.deadLetters(queue).size();
  }

  @Override
  protected boolean crashBroker() {
    serviceBus.stop();
    return true;
  }

  @Override
  protected void restartBroker() {
    serviceBus.restart();
  }
}
