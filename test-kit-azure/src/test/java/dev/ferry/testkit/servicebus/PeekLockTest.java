package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.AbandonOptions;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Peek-lock receiving and settlement through ServiceBusReceiverClient. */
class PeekLockTest {

  // A short try timeout: a disposition the double failed to echo would surface as a timeout.
  @RegisterExtension
  static final RunningDouble serviceBus =
      new RunningDouble(PeekLockTest::entities, Duration.ofSeconds(3));

  private static ServiceBusTestDouble.Builder entities() {
    EntitySettings shortLock = EntitySettings.defaults().withLockDuration(Duration.ofSeconds(1));
    return ServiceBusTestDouble.builder()
        .queue("counts")
        .queue("tokens")
        .queue("echo")
        .queue("modify")
        .queue("dlq")
        .queue("defer")
        .queue("expiry", shortLock)
        .queue("renew")
        .queue("delete");
  }

  /** Wire fact: header delivery-count is 0-based and the Java SDK shows it unchanged. */
  @Test
  void firstDeliveryCountIsZeroAndEachAbandonAddsOne() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("counts").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("counts").buildClient()) {
      sender.sendMessage(Sdk.message("c-1", "x"));
      ServiceBusReceivedMessage first = receiveOne(receiver);
      assertThat(first.getDeliveryCount()).isZero();
      receiver.abandon(first);
      ServiceBusReceivedMessage second = receiveOne(receiver);
      assertThat(second.getDeliveryCount()).isEqualTo(1);
      receiver.complete(second);
    }
  }

  /**
   * Wire facts: the lock token is the delivery tag in .NET GUID byte order (the SDK has no other
   * source for it) and x-opt-locked-until is what getLockedUntil shows.
   */
  @Test
  void lockTokenIsTheDeliveryTagAndLockedUntilTheAnnotation() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("tokens").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("tokens").buildClient()) {
      sender.sendMessage(Sdk.message("t-1", "x"));
      ServiceBusReceivedMessage received = receiveOne(receiver);
      MessageSnapshot stored = serviceBus.bus().entity("tokens").messages().get(0);

      assertThat(stored.state()).isEqualTo(MessageState.LOCKED);
      assertThat(received.getLockToken()).isEqualTo(stored.lockToken().toString());
      assertThat(received.getLockedUntil().toInstant()).isEqualTo(stored.lockedUntil());
      assertThat(received.getSequenceNumber()).isEqualTo(stored.sequenceNumber());
      assertThat(serviceBus.bus().operations("deliver"))
          .anySatisfy(
              op -> assertThat(op.detail()).contains("lockToken=" + received.getLockToken()));
      receiver.complete(received);
      assertThat(serviceBus.bus().operations("complete"))
          .anySatisfy(op -> assertThat(op.detail()).isEqualTo(received.getLockToken()));
    }
  }

  /**
   * Wire fact: on a rcv-settle-mode second link the SDK finishes a settlement only when the server
   * echoes a disposition of the same outcome type and settles it.
   */
  @Test
  void everyDispositionIsEchoedSoSettlementCompletes() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("echo").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("echo").buildClient()) {
      for (int i = 1; i <= 4; i++) {
        sender.sendMessage(Sdk.message("e-" + i, "x"));
      }
      receiver.complete(receiveOne(receiver));
      receiver.abandon(receiveOne(receiver));
      receiver.deadLetter(receiveOne(receiver));
      receiver.defer(receiveOne(receiver));
    }
    assertThat(serviceBus.bus().operations())
        .extracting(Operation::name)
        .contains("complete", "abandon", "dead-letter", "defer");
  }

  @Test
  void abandonAppliesPropertiesToModify() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("modify").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("modify").buildClient()) {
      sender.sendMessage(Sdk.message("p-1", "x"));
      receiver.abandon(
          receiveOne(receiver),
          new AbandonOptions().setPropertiesToModify(Map.of("attempt", 2, "note", "retry")));
      ServiceBusReceivedMessage again = receiveOne(receiver);
      assertThat(again.getApplicationProperties())
          .containsEntry("attempt", 2)
          .containsEntry("note", "retry");
      receiver.complete(again);
    }
  }

  /** Wire fact: dead-letter reason and description travel as application properties. */
  @Test
  void deadLetterKeepsReasonAndDescriptionAndTheSubQueueIsReadable() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("dlq").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("dlq").buildClient();
        ServiceBusReceiverClient deadLetters =
            serviceBus
                .client()
                .receiver()
                .queueName("dlq")
                .subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .buildClient()) {
      sender.sendMessage(Sdk.message("d-1", "poison"));
      receiver.deadLetter(
          receiveOne(receiver),
          new DeadLetterOptions()
              .setDeadLetterReason("Validation")
              .setDeadLetterErrorDescription("total < 0"));

      MessageSnapshot stored = serviceBus.bus().deadLetters("dlq").get(0);
      assertThat(stored.deadLetterReason()).isEqualTo("Validation");
      assertThat(stored.deadLetterErrorDescription()).isEqualTo("total < 0");
      assertThat(serviceBus.bus().entity("dlq").messages()).isEmpty();

      ServiceBusReceivedMessage dead = receiveOne(deadLetters);
      assertThat(dead.getMessageId()).isEqualTo("d-1");
      assertThat(dead.getDeadLetterReason()).isEqualTo("Validation");
      assertThat(dead.getDeadLetterErrorDescription()).isEqualTo("total < 0");
      assertThat(dead.getDeadLetterSource()).isEqualTo("dlq");
      deadLetters.complete(dead);
    }
    assertThat(serviceBus.bus().deadLetters("dlq")).isEmpty();
  }

  @Test
  void deferredMessagesAreReceivedBySequenceNumberAndSettledThroughManagement() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("defer").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("defer").buildClient()) {
      sender.sendMessage(Sdk.message("f-1", "later"));
      ServiceBusReceivedMessage first = receiveOne(receiver);
      receiver.defer(first);
      assertThat(serviceBus.bus().entity("defer").deferredCount()).isEqualTo(1);
      assertThat(receiver.receiveMessages(1, Duration.ofMillis(300)).stream().count()).isZero();

      ServiceBusReceivedMessage deferred =
          receiver.receiveDeferredMessage(first.getSequenceNumber());
      assertThat(deferred.getMessageId()).isEqualTo("f-1");
      receiver.complete(deferred);
    }
    assertThat(serviceBus.bus().entity("defer").messages()).isEmpty();
    assertThat(serviceBus.bus().operations("update-disposition")).hasSize(1);
  }

  @Test
  void anExpiredLockIsReleasedOneDeliveryLaterAndSettlingItFailsWithLockLost() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("expiry").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus
                .client()
                .receiver()
                .queueName("expiry")
                .disableAutoComplete()
                .maxAutoLockRenewDuration(Duration.ZERO)
                .buildClient()) {
      sender.sendMessage(Sdk.message("x-1", "x"));
      ServiceBusReceivedMessage first = receiveOne(receiver);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !serviceBus.bus().operations("lock-expired").isEmpty());
      assertThat(serviceBus.bus().entity("expiry").inState(MessageState.AVAILABLE)).hasSize(1);

      assertThatThrownBy(() -> receiver.complete(first))
          .satisfies(
              e -> assertThat(Sdk.reason(e)).isEqualTo(ServiceBusFailureReason.MESSAGE_LOCK_LOST));
      ServiceBusReceivedMessage again = receiveOne(receiver);
      assertThat(again.getDeliveryCount()).isEqualTo(1);
      receiver.complete(again);
    }
  }

  /** Wire fact: renew-lock answers {expirations: Date[]}. */
  @Test
  void renewMessageLockMovesLockedUntil() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("renew").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus.client().receiver().queueName("renew").buildClient()) {
      sender.sendMessage(Sdk.message("r-1", "x"));
      ServiceBusReceivedMessage received = receiveOne(receiver);
      OffsetDateTime before = received.getLockedUntil();
      await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      OffsetDateTime renewed = receiver.renewMessageLock(received);
      assertThat(renewed).isAfter(before);
      assertThat(serviceBus.bus().entity("renew").messages().get(0).lockedUntil())
          .isEqualTo(renewed.toInstant());
      assertThat(serviceBus.bus().operations("renew-lock")).hasSize(1);
      receiver.complete(received);
    }
  }

  /** Wire fact: RECEIVE_AND_DELETE links are snd-settle-mode settled: gone when delivered. */
  @Test
  void receiveAndDeleteRemovesTheMessageOnDelivery() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("delete").buildClient();
        ServiceBusReceiverClient receiver =
            serviceBus
                .client()
                .receiver()
                .queueName("delete")
                .receiveMode(ServiceBusReceiveMode.RECEIVE_AND_DELETE)
                .buildClient()) {
      sender.sendMessage(Sdk.message("del-1", "x"));
      assertThat(receiveOne(receiver).getMessageId()).isEqualTo("del-1");
    }
    assertThat(serviceBus.bus().entity("delete").messages()).isEmpty();
    assertThat(serviceBus.bus().operations("receive-and-delete")).hasSize(1);
  }

  static ServiceBusReceivedMessage receiveOne(ServiceBusReceiverClient receiver) {
    return receiver.receiveMessages(1, Sdk.RECEIVE_WAIT).stream()
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message within " + Sdk.RECEIVE_WAIT));
  }
}
