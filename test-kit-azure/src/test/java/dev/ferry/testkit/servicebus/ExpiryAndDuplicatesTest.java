package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Message time to live and duplicate detection, both decided when a message is stored. */
class ExpiryAndDuplicatesTest {

  @RegisterExtension
  static final RunningDouble serviceBus = new RunningDouble(ExpiryAndDuplicatesTest::entities);

  private static ServiceBusTestDouble.Builder entities() {
    EntitySettings defaults = EntitySettings.defaults();
    return ServiceBusTestDouble.builder()
        .queue("short-lived", defaults.withDefaultTimeToLive(Duration.ofMillis(300)))
        .queue("expiring-to-dlq", defaults.withDeadLetteringOnMessageExpiration(true))
        .queue("dedupe", defaults.withDuplicateDetectionWindow(Duration.ofMinutes(10)))
        .queue("short-window", defaults.withDuplicateDetectionWindow(Duration.ofMillis(300)));
  }

  @Test
  void anExpiredMessageIsNeverDeliveredAndDroppedWithoutDeadLettering() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("short-lived").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("short-lived").buildClient()) {
      sender.sendMessage(Sdk.message("ttl-1", "x"));
      assertThat(serviceBus.bus().entity("short-lived").messages().get(0).expiresAt()).isNotNull();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> serviceBus.bus().entity("short-lived").messages().isEmpty());
      assertThat(receiver.receiveMessages(1, Duration.ofMillis(300)).stream().count()).isZero();
    }
    assertThat(serviceBus.bus().deadLetters("short-lived")).isEmpty();
    assertThat(serviceBus.bus().operations("expired")).hasSize(1);
  }

  @Test
  void theMessageTimeToLiveWinsWhenShorterAndExpiryCanDeadLetter() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("expiring-to-dlq").buildClient()) {
      sender.sendMessage(Sdk.message("ttl-2", "x").setTimeToLive(Duration.ofMillis(200)));
    }
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> serviceBus.bus().deadLetters("expiring-to-dlq").size() == 1);
    MessageSnapshot dead = serviceBus.bus().deadLetters("expiring-to-dlq").get(0);
    assertThat(dead.messageId()).isEqualTo("ttl-2");
    assertThat(dead.deadLetterReason()).isEqualTo("TTLExpiredException");
    assertThat(dead.deadLetterSource()).isEqualTo("expiring-to-dlq");
    assertThat(dead.expiresAt()).isNull();
  }

  @Test
  void aDuplicateMessageIdIsAcceptedButNotStored() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("dedupe").buildClient()) {
      sender.sendMessage(Sdk.message("same", "first"));
      sender.sendMessage(Sdk.message("same", "second"));
      ServiceBusMessageBatch batch = sender.createMessageBatch();
      batch.tryAddMessage(Sdk.message("same", "third"));
      batch.tryAddMessage(Sdk.message("other", "fourth"));
      sender.sendMessages(batch);
    }
    assertThat(serviceBus.bus().entity("dedupe").messages())
        .extracting(MessageSnapshot::bodyAsString)
        .containsExactly("first", "fourth");
    assertThat(serviceBus.bus().operations("duplicate")).hasSize(2);
  }

  @Test
  void aMessageIdIsForgottenAfterTheWindow() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("short-window").buildClient()) {
      sender.sendMessage(Sdk.message("again", "first"));
      await().pollDelay(Duration.ofMillis(400)).until(() -> true);
      sender.sendMessage(Sdk.message("again", "second"));
    }
    assertThat(serviceBus.bus().entity("short-window").activeCount()).isEqualTo(2);
  }
}
