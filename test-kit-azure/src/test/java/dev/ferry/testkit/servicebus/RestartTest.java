package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A double that goes down and comes back on the same port, as a broker restart does. */
class RestartTest {

  private static ServiceBusTestDouble bus;

  @BeforeAll
  static void start() {
    bus =
        ServiceBusTestDouble.builder()
            .queue("kept", EntitySettings.defaults().withLockDuration(Duration.ofSeconds(1)))
            .start();
  }

  @AfterAll
  static void stop() {
    Sdk.closeChecked(bus);
  }

  @Test
  void messagesAndEntitiesSurviveAndTheSameClientsReconnect() {
    try (ServiceBusSenderClient sender =
            Sdk.client(bus, Duration.ofSeconds(1)).sender().queueName("kept").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(bus, Duration.ofSeconds(2)).receiver().queueName("kept").buildClient()) {
      sender.sendMessage(Sdk.message("before", "1"));
      int port = bus.port();

      bus.stop();
      assertThat(bus.isRunning()).isFalse();
      assertThat(bus.entity("kept").activeCount()).isEqualTo(1); // inspection still works
      assertThatThrownBy(() -> sender.sendMessage(Sdk.message("during", "x")))
          .isInstanceOf(RuntimeException.class);

      bus.restart();
      assertThat(bus.isRunning()).isTrue();
      assertThat(bus.port()).isEqualTo(port);
      sender.sendMessage(Sdk.message("after", "2"));

      List<String> ids = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (ids.size() < 2 && System.nanoTime() < deadline) {
        for (ServiceBusReceivedMessage m : receiver.receiveMessages(2, Duration.ofSeconds(2))) {
          ids.add(m.getMessageId());
          receiver.complete(m);
        }
      }
      assertThat(ids).containsExactly("before", "after");
    }
    assertThat(bus.entity("kept").messages()).isEmpty();
    assertThatThrownBy(bus::restart).isInstanceOf(IllegalStateException.class);
  }
}
