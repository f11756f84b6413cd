package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages from a producer that sets no MessageId, received by Ferry's listener with the durable
 * inbox on PostgreSQL: each is its own message (its id comes from the broker's sequence number), so
 * two alike are handled twice, not dropped as duplicates. {@code TriggerDecodingTest} shows the
 * Functions trigger giving them the same ids.
 */
@ExtendWith(PostgresExtension.class)
class MessagesWithoutIdJdbiTest {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    serviceBus = ServiceBusTestDouble.builder().queue("noid.work").start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @Test
  void twoMessagesWithoutAMessageIdAreBothHandledWithTheDurableInbox(PostgresDatabase database) {
    List<Envelope> handled = new CopyOnWriteArrayList<>();
    try (MessageBus bus =
        MessageBus.builder()
            .serviceName("noid")
            .transport(Doubles.transport(serviceBus).build())
            .store(
                JdbiEnvelopeStore.builder()
                    .jdbcUrl(database.jdbcUrl())
                    .username(database.username())
                    .password(database.password())
                    .schema(database.newSchema())
                    .build())
            .route(Work.class, "queue:noid.work")
            .handle(
                Work.class,
                (w, ctx) -> {
                  handled.add(ctx.envelope());
                  return null;
                })
            .build()) {
      try (ServiceBusSenderClient sender =
          Doubles.client(serviceBus).sender().queueName("noid.work").buildClient()) {
        for (int i = 0; i < 2; i++) {
          sender.sendMessage(new ServiceBusMessage("{\"n\":1}").setSubject("ferry.test.work.v1"));
        }
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 2);
      assertThat(handled)
          .extracting(Envelope::id)
          .doesNotHaveDuplicates()
          .allMatch(id -> id.startsWith("servicebus-sequence-"));
      assertThat(bus.metrics().duplicates()).isZero();
    }
  }
}
