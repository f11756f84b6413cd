package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One dead-letter plane on PostgreSQL: a message the broker dead-lettered natively (a consumer that
 * is not Ferry kept failing it, as the Azure Functions host does) is drained into the JDBI store,
 * listed by a bus on that store, and replayed to its queue, where the bus handles it.
 */
@ExtendWith(PostgresExtension.class)
class DeadLetterDrainJdbiTest {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("jdbi.orders", EntitySettings.defaults().withMaxDeliveryCount(3))
            .start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @Test
  void drainedIntoPostgresListedAndReplayed(PostgresDatabase database) throws Exception {
    DeadLetterDrainTest.send(
        serviceBus, "jdbi.orders", DeadLetterDrainTest.envelope("order-7", new Work(7)));
    // A host that abandons on every failure until MaxDeliveryCount dead-letters the message.
    AtomicInteger failures = new AtomicInteger();
    ServiceBusProcessorClient host =
        Doubles.client(serviceBus)
            .processor()
            .queueName("jdbi.orders")
            .processMessage(
                context -> {
                  failures.incrementAndGet();
                  throw new IllegalStateException("the function failed");
                })
            .processError(context -> {})
            .buildProcessorClient();
    host.start();
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> serviceBus.deadLetters("jdbi.orders").size() == 1);
    } finally {
      host.close();
    }
    assertThat(failures.get()).isEqualTo(3);

    try (JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl(database.jdbcUrl())
            .username(database.username())
            .password(database.password())
            .schema(database.newSchema())
            .build()) {
      store.start("drain-node");
      try (DeadLetterDrain drain = DeadLetterDrainTest.drain(serviceBus, store)) {
        assertThat(drain.drain(Address.queue("jdbi.orders"))).isEqualTo(1);
      }
      assertThat(serviceBus.deadLetters("jdbi.orders")).isEmpty();

      List<Work> handled = new CopyOnWriteArrayList<>();
      try (MessageBus bus =
          DeadLetterDrainTest.replayingBus(serviceBus, store, "queue:jdbi.orders", handled)) {
        DeadLetter dl =
            bus.deadLetters().find("order-7@servicebus:queue:jdbi.orders").orElseThrow();
        assertThat(dl.reason()).isEqualTo("MaxDeliveryCountExceeded");
        assertThat(dl.exceptionMessage()).contains("3 delivery attempts");
        assertThat(dl.attempts()).isEqualTo(3);
        assertThat(dl.endpoint()).isEqualTo("servicebus:queue:jdbi.orders");
        assertThat(dl.envelope().messageType()).isEqualTo("ferry.test.work.v1");
        assertThat(dl.envelope().source()).isEqualTo("drain-test");

        assertThat(bus.deadLetters().replay(dl.id())).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(new Work(7)));
        assertThat(bus.deadLetters().count()).isZero();
      }
    }
  }
}
