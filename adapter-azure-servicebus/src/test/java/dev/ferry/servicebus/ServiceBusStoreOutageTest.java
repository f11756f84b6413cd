package dev.ferry.servicebus;

import dev.ferry.jdbi.testing.StoreOutageScenario;
import dev.ferry.servicebus.testing.EntitySettings;
import dev.ferry.servicebus.testing.ServiceBusTestDouble;
import dev.ferry.spi.Transport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreOutageScenario} on Service Bus (the real SDK against the test double,
 * MaxDeliveryCount 10, its default): the listener holds what it has while the SDK renews the locks,
 * and takes nothing more until the store answers.
 */
class ServiceBusStoreOutageTest {
  @Test
  void aStoreOutageUsesUpNoDeliveryCount(@TempDir Path data) throws Exception {
    ServiceBusTestDouble serviceBus =
        ServiceBusTestDouble.builder()
            .queue(StoreOutageScenario.QUEUE, EntitySettings.defaults().withMaxDeliveryCount(10))
            .start();
    try {
      new StoreOutageScenario("Service Bus", 200, 800, Duration.ofSeconds(20))
          .run(
              data,
              "sboutage",
              new StoreOutageScenario.Broker() {
                @Override
                public Transport transport() {
                  return Doubles.transport(serviceBus).build();
                }

                @Override
                public int nativeDeadLetters() {
                  return serviceBus.deadLetters(StoreOutageScenario.QUEUE).size();
                }
              });
    } finally {
      Doubles.closeChecked(serviceBus);
    }
  }
}
