package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SendTest {

  private static ServiceBusTestDouble bus;
  private static ServiceBusTestDouble small;

  @BeforeAll
  static void start() {
    bus = ServiceBusTestDouble.builder().queue("props").queue("batch").queue("big").start();
    small = ServiceBusTestDouble.builder().queue("limited").maxMessageSize(16 * 1024).start();
  }

  @AfterAll
  static void stop() {
    try {
      Sdk.closeChecked(bus);
    } finally {
      Sdk.closeChecked(small);
    }
  }

  @Test
  void everyPropertyTheSenderSetsArrivesAndIsStored() {
    ServiceBusMessage message =
        new ServiceBusMessage(BinaryData.fromString("{\"id\":1}"))
            .setMessageId("m-1")
            .setCorrelationId("c-1")
            .setSubject("OrderPlaced")
            .setContentType("application/json")
            .setTo("billing")
            .setReplyTo("replies");
    message.getApplicationProperties().put("tenant", "acme");
    message.getApplicationProperties().put("attempt", 1);
    try (ServiceBusSenderClient sender = Sdk.client(bus).sender().queueName("props").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(bus).receiver().queueName("props").buildClient()) {
      sender.sendMessage(message);

      MessageSnapshot stored = bus.entity("props").messages().get(0);
      assertThat(stored.messageId()).isEqualTo("m-1");
      assertThat(stored.correlationId()).isEqualTo("c-1");
      assertThat(stored.subject()).isEqualTo("OrderPlaced");
      assertThat(stored.contentType()).isEqualTo("application/json");
      assertThat(stored.bodyAsString()).isEqualTo("{\"id\":1}");
      assertThat(stored.applicationProperties()).containsEntry("tenant", "acme");

      ServiceBusReceivedMessage received =
          receiver.receiveMessages(1, Sdk.RECEIVE_WAIT).stream().findFirst().orElseThrow();
      assertThat(received.getMessageId()).isEqualTo("m-1");
      assertThat(received.getCorrelationId()).isEqualTo("c-1");
      assertThat(received.getSubject()).isEqualTo("OrderPlaced");
      assertThat(received.getContentType()).isEqualTo("application/json");
      assertThat(received.getTo()).isEqualTo("billing");
      assertThat(received.getReplyTo()).isEqualTo("replies");
      assertThat(received.getApplicationProperties())
          .containsEntry("tenant", "acme")
          .containsEntry("attempt", 1);
      assertThat(received.getBody().toString()).isEqualTo("{\"id\":1}");
      assertThat(received.getSequenceNumber()).isEqualTo(stored.sequenceNumber());
      assertThat(received.getEnqueuedTime().toInstant()).isEqualTo(stored.enqueuedTime());
      receiver.complete(received);
    }
  }

  /** Wire fact: a ServiceBusMessageBatch is one transfer of message-format 0x80013700. */
  @Test
  void aBatchIsUnpackedIntoIndividualMessages() {
    try (ServiceBusSenderClient sender = Sdk.client(bus).sender().queueName("batch").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(bus).receiver().queueName("batch").buildClient()) {
      ServiceBusMessageBatch batch = sender.createMessageBatch();
      assertThat(batch.getMaxSizeInBytes()).isEqualTo(256 * 1024); // the attach default
      for (int i = 1; i <= 3; i++) {
        assertThat(batch.tryAddMessage(Sdk.message("b-" + i, "body-" + i))).isTrue();
      }
      sender.sendMessages(batch);

      assertThat(bus.entity("batch").messages())
          .extracting(MessageSnapshot::messageId, MessageSnapshot::bodyAsString)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("b-1", "body-1"),
              org.assertj.core.groups.Tuple.tuple("b-2", "body-2"),
              org.assertj.core.groups.Tuple.tuple("b-3", "body-3"));
      List<ServiceBusReceivedMessage> received =
          receiver.receiveMessages(3, Sdk.RECEIVE_WAIT).stream().toList();
      assertThat(received)
          .extracting(ServiceBusReceivedMessage::getMessageId)
          .containsExactly("b-1", "b-2", "b-3");
      received.forEach(receiver::complete);
    }
  }

  @Test
  void aMessageLargerThanOneFrameRoundTrips() {
    byte[] payload = new byte[200 * 1024];
    Arrays.fill(payload, (byte) 'x');
    try (ServiceBusSenderClient sender = Sdk.client(bus).sender().queueName("big").buildClient();
        ServiceBusReceiverClient receiver =
            Sdk.client(bus).receiver().queueName("big").buildClient()) {
      sender.sendMessage(new ServiceBusMessage(payload).setMessageId("big-1"));
      ServiceBusReceivedMessage received =
          receiver.receiveMessages(1, Sdk.RECEIVE_WAIT).stream().findFirst().orElseThrow();
      assertThat(received.getBody().toBytes()).isEqualTo(payload);
      receiver.complete(received);
    }
  }

  /** Wire fact: the SDK sizes batches and refuses messages by the attach max-message-size. */
  @Test
  void maxMessageSizeFromTheAttachLimitsWhatTheSdkSends() {
    try (ServiceBusSenderClient sender =
        Sdk.client(small).sender().queueName("limited").buildClient()) {
      ServiceBusMessageBatch batch = sender.createMessageBatch();
      assertThat(batch.getMaxSizeInBytes()).isEqualTo(16 * 1024);
      assertThat(batch.tryAddMessage(new ServiceBusMessage(new byte[10 * 1024]))).isTrue();
      assertThat(batch.tryAddMessage(new ServiceBusMessage(new byte[10 * 1024]))).isFalse();
      assertThatThrownBy(() -> batch.tryAddMessage(new ServiceBusMessage(new byte[20 * 1024])))
          .satisfies(
              e ->
                  assertThat(Sdk.reason(e))
                      .isEqualTo(ServiceBusFailureReason.MESSAGE_SIZE_EXCEEDED));
      sender.sendMessages(batch);

      assertThatThrownBy(() -> sender.sendMessage(new ServiceBusMessage(new byte[20 * 1024])))
          .satisfies(
              e ->
                  assertThat(Sdk.reason(e))
                      .isEqualTo(ServiceBusFailureReason.MESSAGE_SIZE_EXCEEDED));
      sender.sendMessage(new ServiceBusMessage(new byte[8 * 1024]));
    }
    assertThat(small.entity("limited").activeCount()).isEqualTo(2);
  }
}
