package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scheduled messages, by annotation and through $management, and peeking at them. */
class SchedulingTest {

  private static final Duration LATER = Duration.ofMillis(700);

  @RegisterExtension
  static final RunningDouble serviceBus = new RunningDouble(SchedulingTest::entities);

  private static ServiceBusTestDouble.Builder entities() {
    return ServiceBusTestDouble.builder()
        .queue("scheduled")
        .queue("annotated")
        .queue("cancelled")
        .queue("peeked")
        .topic("news", TopicSettings.defaults().withSubscription("a").withSubscription("b"));
  }

  /** Wire fact: schedule-message answers {sequence-numbers: Long[]}, read by the SDK as long[]. */
  @Test
  void aScheduledMessageBecomesVisibleAtItsTime() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("scheduled").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("scheduled").buildClient()) {
      OffsetDateTime at = OffsetDateTime.now().plus(LATER);
      long sequenceNumber = sender.scheduleMessage(Sdk.message("s-1", "x"), at);

      MessageSnapshot stored = serviceBus.bus().entity("scheduled").messages().get(0);
      assertThat(stored.sequenceNumber()).isEqualTo(sequenceNumber);
      assertThat(stored.state()).isEqualTo(MessageState.SCHEDULED);
      assertThat(stored.scheduledEnqueueTime())
          .isEqualTo(at.toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      assertThat(receiver.receiveMessages(1, Duration.ofMillis(200)).stream().count()).isZero();

      ServiceBusReceivedMessage received = PeekLockTest.receiveOne(receiver);
      assertThat(received.getSequenceNumber()).isEqualTo(sequenceNumber);
      assertThat(received.getScheduledEnqueueTime().toInstant())
          .isEqualTo(stored.scheduledEnqueueTime());
      assertThat(received.getEnqueuedTime()).isAfterOrEqualTo(at.minusNanos(999_999));
      receiver.complete(received);
    }
  }

  @Test
  void aSentMessageWithAScheduledEnqueueTimeIsScheduledToo() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("annotated").buildClient()) {
      sender.sendMessage(
          Sdk.message("a-1", "x").setScheduledEnqueueTime(OffsetDateTime.now().plus(LATER)));
      assertThat(serviceBus.bus().entity("annotated").scheduledCount()).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(() -> serviceBus.bus().entity("annotated").activeCount() == 1);
    }
  }

  @Test
  void cancelRemovesAScheduledMessage() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("cancelled").buildClient()) {
      long sequenceNumber =
          sender.scheduleMessage(
              Sdk.message("c-1", "x"), OffsetDateTime.now().plus(Duration.ofMinutes(5)));
      sender.cancelScheduledMessage(sequenceNumber);
    }
    assertThat(serviceBus.bus().entity("cancelled").messages()).isEmpty();
    assertThat(serviceBus.bus().operations("cancel-scheduled-message"))
        .singleElement()
        .satisfies(op -> assertThat(op.detail()).endsWith("removed=true"));
  }

  @Test
  void aTopicHoldsScheduledMessagesThenCopiesThemToEverySubscription() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().topicName("news").buildClient()) {
      sender.scheduleMessage(Sdk.message("n-1", "x"), OffsetDateTime.now().plus(LATER));
      assertThat(serviceBus.bus().entity("news").scheduledCount()).isEqualTo(1);
      assertThat(serviceBus.bus().entity("news/subscriptions/a").messages()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  serviceBus.bus().entity("news/subscriptions/a").activeCount() == 1
                      && serviceBus.bus().entity("news/subscriptions/b").activeCount() == 1);
      assertThat(serviceBus.bus().entity("news").messages()).isEmpty();
    }
  }

  @Test
  void peekShowsActiveAndScheduledMessagesWithoutLockingThem() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("peeked").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("peeked").buildClient()) {
      sender.sendMessage(Sdk.message("p-1", "now"));
      sender.scheduleMessage(
          Sdk.message("p-2", "later"), OffsetDateTime.now().plus(Duration.ofMinutes(5)));

      List<ServiceBusReceivedMessage> peeked = receiver.peekMessages(10).stream().toList();
      assertThat(peeked)
          .extracting(ServiceBusReceivedMessage::getMessageId, ServiceBusReceivedMessage::getState)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("p-1", ServiceBusMessageState.ACTIVE),
              org.assertj.core.groups.Tuple.tuple("p-2", ServiceBusMessageState.SCHEDULED));
      assertThat(peeked.get(0).getLockToken()).isNull();
      assertThat(serviceBus.bus().entity("peeked").inState(MessageState.LOCKED)).isEmpty();
      // The SDK continues from the last peeked sequence number; nothing further is there.
      assertThat(receiver.peekMessages(10).stream().count()).isZero();
    }
  }
}
