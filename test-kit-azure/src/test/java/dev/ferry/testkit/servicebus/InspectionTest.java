package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The inspection API is read from test threads while the reactor thread is busy. */
class InspectionTest {

  @RegisterExtension
  static final RunningDouble serviceBus = new RunningDouble(InspectionTest::entities);

  private static ServiceBusTestDouble.Builder entities() {
    return ServiceBusTestDouble.builder().queue("busy").queue("copy");
  }

  @Test
  void inspectingFromManyThreadsWhileMessagesFlowIsSafe() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService readers = Executors.newFixedThreadPool(3);
    List<Future<Integer>> reads = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      reads.add(
          readers.submit(
              () -> {
                int count = 0;
                while (running.get()) {
                  EntitySnapshot snapshot = serviceBus.bus().entity("busy");
                  assertThat(snapshot.messages().size()).isLessThanOrEqualTo(50);
                  serviceBus.bus().operations();
                  count++;
                }
                return count;
              }));
    }
    ServiceBusProcessorClient processor =
        serviceBus
            .client()
            .processor()
            .queueName("busy")
            .maxConcurrentCalls(4)
            .processMessage(context -> {})
            .processError(context -> {})
            .buildProcessorClient();
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("busy").buildClient()) {
      processor.start();
      ServiceBusMessageBatch batch = sender.createMessageBatch();
      for (int i = 0; i < 50; i++) {
        batch.tryAddMessage(Sdk.message("busy-" + i, "x"));
      }
      sender.sendMessages(batch);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> serviceBus.bus().operations("complete").size() == 50);
    } finally {
      processor.close();
      running.set(false);
      readers.shutdown();
      assertThat(readers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
    for (Future<Integer> read : reads) {
      assertThat(read.get()).isPositive();
    }
    assertThat(serviceBus.bus().entity("busy").messages()).isEmpty();
  }

  @Test
  void snapshotsAreDetachedCopies() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("copy").buildClient()) {
      sender.sendMessage(Sdk.message("copy-1", "x"));
    }
    EntitySnapshot snapshot = serviceBus.bus().entity("copy");
    MessageSnapshot message = snapshot.messages().get(0);
    assertThatThrownBy(() -> snapshot.messages().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    message.body()[0] = 'y';
    assertThat(message.bodyAsString()).isEqualTo("x");
    assertThat(snapshot.activeCount()).isEqualTo(1);

    assertThat(serviceBus.bus().operations("send")).extracting(Operation::entity).contains("copy");
    serviceBus.bus().clearOperations();
    assertThat(serviceBus.bus().operations()).isEmpty();
  }
}
