package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Message time to live and duplicate detection, both decided when a message is stored. */
class ExpiryAndDuplicatesTest {

  private static ServiceBusTestDouble bus;
  private static ServiceBusClientBuilder client;

  @BeforeAll
  static void start() {
    EntitySettings defaults = EntitySettings.defaults();
    bus =
        ServiceBusTestDouble.builder()
            .queue("short-lived", defaults.withDefaultTimeToLive(Duration.ofMillis(300)))
            .queue("expiring-to-dlq", defaults.withDeadLetteringOnMessageExpiration(true))
            .queue("dedupe", defaults.withDuplicateDetectionWindow(Duration.ofMinutes(10)))
            .queue("short-window", defaults.withDuplicateDetectionWindow(Duration.ofMillis(300)))
            .start();
    client = Sdk.client(bus);
  }

  @AfterAll
  static void stop() {
    Sdk.closeChecked(bus);
  }

  @Test
  void anExpiredMessageIsNeverDeliveredAndDroppedWithoutDeadLettering() {
    try (ServiceBusSenderClient sender = client.sender().queueName("short-lived").buildClient();
        ServiceBusReceiverClient receiver =
            client.receiver().queueName("short-lived").buildClient()) {
      sender.sendMessage(Sdk.message("ttl-1", "x"));
      assertThat(bus.entity("short-lived").messages().get(0).expiresAt()).isNotNull();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> bus.entity("short-lived").messages().isEmpty());
      assertThat(receiver.receiveMessages(1, Duration.ofMillis(300)).stream().count()).isZero();
    }
    assertThat(bus.deadLetters("short-lived")).isEmpty();
    assertThat(bus.operations("expired")).hasSize(1);
  }

  @Test
  void theMessageTimeToLiveWinsWhenShorterAndExpiryCanDeadLetter() {
    try (ServiceBusSenderClient sender =
        client.sender().queueName("expiring-to-dlq").buildClient()) {
      sender.sendMessage(Sdk.message("ttl-2", "x").setTimeToLive(Duration.ofMillis(200)));
    }
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> bus.deadLetters("expiring-to-dlq").size() == 1);
    MessageSnapshot dead = bus.deadLetters("expiring-to-dlq").get(0);
    assertThat(dead.messageId()).isEqualTo("ttl-2");
    assertThat(dead.deadLetterReason()).isEqualTo("TTLExpiredException");
    assertThat(dead.deadLetterSource()).isEqualTo("expiring-to-dlq");
    assertThat(dead.expiresAt()).isNull();
  }

  @Test
  void aDuplicateMessageIdIsAcceptedButNotStored() {
    try (ServiceBusSenderClient sender = client.sender().queueName("dedupe").buildClient()) {
      sender.sendMessage(Sdk.message("same", "first"));
      sender.sendMessage(Sdk.message("same", "second"));
      ServiceBusMessageBatch batch = sender.createMessageBatch();
      batch.tryAddMessage(Sdk.message("same", "third"));
      batch.tryAddMessage(Sdk.message("other", "fourth"));
      sender.sendMessages(batch);
    }
    assertThat(bus.entity("dedupe").messages())
        .extracting(MessageSnapshot::bodyAsString)
        .containsExactly("first", "fourth");
    assertThat(bus.operations("duplicate")).hasSize(2);
  }

  @Test
  void aMessageIdIsForgottenAfterTheWindow() {
    try (ServiceBusSenderClient sender = client.sender().queueName("short-window").buildClient()) {
      sender.sendMessage(Sdk.message("again", "first"));
      await().pollDelay(Duration.ofMillis(400)).until(() -> true);
      sender.sendMessage(Sdk.message("again", "second"));
    }
    assertThat(bus.entity("short-window").activeCount()).isEqualTo(2);
  }
}
