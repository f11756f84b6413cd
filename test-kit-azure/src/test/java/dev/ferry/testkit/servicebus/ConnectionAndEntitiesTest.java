package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.SubQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConnectionAndEntitiesTest {

  private static ServiceBusTestDouble bus;

  @BeforeAll
  static void start() {
    bus = ServiceBusTestDouble.builder().queue("Orders").start();
  }

  @AfterAll
  static void stop() {
    Sdk.closeChecked(bus);
  }

  @Test
  void connectionStringPointsTheSdkAtPlainAmqpOnTheBoundPort() {
    assertThat(bus.port()).isPositive();
    assertThat(bus.connectionString())
        .isEqualTo(
            "Endpoint=sb://localhost:"
                + bus.port()
                + ";SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true");
  }

  @Test
  void cbsPutTokenIsAnsweredPerEntityAndTheTokenIsNeverLogged() {
    try (ServiceBusSenderClient sender =
        Sdk.client(bus).sender().queueName("Orders").buildClient()) {
      sender.sendMessage(Sdk.message("cbs-1", "x"));
    }
    assertThat(bus.operations("put-token"))
        .anySatisfy(
            op -> {
              assertThat(op.entity()).isEqualTo("amqp://localhost/Orders");
              assertThat(op.detail()).isEqualTo("type=servicebus.windows.net:sastoken");
            });
    assertThat(bus.operations())
        .noneSatisfy(
            op -> assertThat(op.toString()).containsAnyOf("sig=", "SharedAccessSignature"));
  }

  @Test
  void unknownEntityIsAPermanentNotFoundForSendersAndReceivers() {
    try (ServiceBusSenderClient sender =
        Sdk.client(bus).sender().queueName("no-such-queue").buildClient()) {
      assertThatThrownBy(() -> sender.sendMessage(Sdk.message("x", "x")))
          .isInstanceOfSatisfying(
              ServiceBusException.class,
              e ->
                  assertThat(e.getReason())
                      .isEqualTo(ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND));
    }
    try (ServiceBusReceiverClient receiver =
        Sdk.client(bus).receiver().topicName("no-topic").subscriptionName("s").buildClient()) {
      // The synchronous receiver surfaces the link error itself; the not-found wording is what
      // makes the SDK treat it as permanent instead of retrying.
      assertThatThrownBy(() -> receiver.receiveMessages(1, Sdk.RECEIVE_WAIT).stream().count())
          .cause()
          .isInstanceOfSatisfying(
              AmqpException.class,
              e -> {
                assertThat(e.getErrorCondition()).isEqualTo(AmqpErrorCondition.NOT_FOUND);
                assertThat(e.isTransient()).isFalse();
              });
    }
    assertThat(bus.operations("refuse-attach"))
        .extracting(Operation::detail)
        .contains("amqp:not-found");
  }

  @Test
  void entityPathsIgnoreCase() {
    try (ServiceBusSenderClient sender =
            Sdk.client(bus).sender().queueName("ORDERS").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(bus)
                .receiver()
                .queueName("orders")
                .subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .buildClient()) {
      sender.sendMessage(Sdk.message("case-1", "x"));
      assertThat(bus.entity("oRdErS").messages())
          .extracting(MessageSnapshot::messageId)
          .contains("case-1");
      assertThat(receiver.receiveMessages(1, java.time.Duration.ofMillis(500)).stream().count())
          .isZero();
    }
    assertThat(bus.entity("orders/$DeadLetterQueue").path()).isEqualTo("Orders/$deadletterqueue");
  }

  @Test
  void entitiesCanBeAddedWhileRunning() {
    bus.createQueue("late", EntitySettings.defaults());
    try (ServiceBusSenderClient sender = Sdk.client(bus).sender().queueName("late").buildClient()) {
      sender.sendMessage(Sdk.message("late-1", "x"));
    }
    assertThat(bus.entity("late").activeCount()).isEqualTo(1);
  }

  @Test
  void autoCreateMakesUnknownQueuesAndSubscriptions() {
    try (ServiceBusTestDouble auto =
            ServiceBusTestDouble.builder().autoCreateEntities(true).start();
        ServiceBusSenderClient sender =
            Sdk.client(auto).sender().queueName("made-up").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(auto).receiver().queueName("made-up").buildClient()) {
      sender.sendMessage(Sdk.message("auto-1", "hello"));
      assertThat(receiver.receiveMessages(1, Sdk.RECEIVE_WAIT).stream().findFirst())
          .hasValueSatisfying(m -> assertThat(m.getBody().toString()).isEqualTo("hello"));
    }
  }

  @Test
  void closeReleasesThePort() throws IOException {
    ServiceBusTestDouble other = ServiceBusTestDouble.builder().start();
    int port = other.port();
    other.close();
    other.close(); // idempotent
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
