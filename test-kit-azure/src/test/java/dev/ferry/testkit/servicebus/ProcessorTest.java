package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ServiceBusProcessorClient: auto-complete, abandon on failure, automatic lock renewal. */
class ProcessorTest {

  @RegisterExtension
  static final RunningDouble serviceBus = new RunningDouble(ProcessorTest::entities);

  private static ServiceBusTestDouble.Builder entities() {
    EntitySettings defaults = EntitySettings.defaults();
    return ServiceBusTestDouble.builder()
        .queue("happy")
        .queue("poison", defaults.withMaxDeliveryCount(3))
        .queue("slow", defaults.withLockDuration(Duration.ofSeconds(2)));
  }

  @Test
  void aSuccessfulHandlerCompletesTheMessage() {
    List<String> handled = new CopyOnWriteArrayList<>();
    ServiceBusProcessorClient processor =
        serviceBus
            .client()
            .processor()
            .queueName("happy")
            .processMessage(context -> handled.add(context.getMessage().getMessageId()))
            .processError(context -> {})
            .buildProcessorClient();
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("happy").buildClient()) {
      processor.start();
      sender.sendMessage(Sdk.message("h-1", "x"));
      sender.sendMessage(Sdk.message("h-2", "x"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> serviceBus.bus().operations("complete").size() == 2);
    } finally {
      processor.close();
    }
    assertThat(handled).containsExactly("h-1", "h-2");
    assertThat(serviceBus.bus().entity("happy").messages()).isEmpty();
  }

  /**
   * Wire fact: the processor abandons on an exception and the SDK shows the raw 0-based count, so a
   * message with MaxDeliveryCount 3 is seen with counts 0, 1, 2 and then dead-lettered.
   */
  @Test
  void aFailingHandlerAbandonsUntilMaxDeliveryCountDeadLettersIt() {
    List<Long> deliveryCounts = new CopyOnWriteArrayList<>();
    ServiceBusProcessorClient processor =
        serviceBus
            .client()
            .processor()
            .queueName("poison")
            .processMessage(
                context -> {
                  deliveryCounts.add(context.getMessage().getDeliveryCount());
                  throw new IllegalStateException("handler failed");
                })
            .processError(context -> {})
            .buildProcessorClient();
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("poison").buildClient()) {
      processor.start();
      sender.sendMessage(Sdk.message("bad-1", "x"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> serviceBus.bus().deadLetters("poison").size() == 1);
    } finally {
      processor.close();
    }
    assertThat(deliveryCounts).containsExactly(0L, 1L, 2L);
    MessageSnapshot dead = serviceBus.bus().deadLetters("poison").get(0);
    assertThat(dead.deadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
    assertThat(dead.deadLetterErrorDescription())
        .isEqualTo("Message could not be consumed after 3 delivery attempts.");
    assertThat(dead.deliveryCount()).isEqualTo(3);
    assertThat(serviceBus.bus().operations("abandon")).hasSize(3);
  }

  /**
   * Wire fact: x-opt-locked-until drives the processor's lock renewal. A handler that runs past the
   * lock duration keeps its lock through renew-lock calls and completes.
   */
  @Test
  void theProcessorRenewsTheLockOfALongRunningHandler() {
    List<Long> deliveryCounts = new CopyOnWriteArrayList<>();
    ServiceBusProcessorClient processor =
        serviceBus
            .client()
            .processor()
            .queueName("slow")
            .maxAutoLockRenewDuration(Duration.ofMinutes(1))
            .processMessage(
                context -> {
                  deliveryCounts.add(context.getMessage().getDeliveryCount());
                  sleep(Duration.ofMillis(4500));
                })
            .processError(context -> {})
            .buildProcessorClient();
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("slow").buildClient()) {
      processor.start();
      sender.sendMessage(Sdk.message("slow-1", "x"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  serviceBus.bus().operations("complete").stream()
                      .anyMatch(op -> op.entity().equals("slow")));
    } finally {
      processor.close();
    }
    assertThat(deliveryCounts).containsExactly(0L);
    assertThat(serviceBus.bus().operations("renew-lock")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(serviceBus.bus().operations("lock-expired")).isEmpty();
    assertThat(serviceBus.bus().entity("slow").messages()).isEmpty();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
