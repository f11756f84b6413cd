package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.SubQueue;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Topics copy every message into every subscription; each subscription settles on its own. */
class TopicTest {

  @RegisterExtension static final RunningDouble serviceBus = new RunningDouble(TopicTest::entities);

  private static ServiceBusTestDouble.Builder entities() {
    return ServiceBusTestDouble.builder()
        .topic(
            "orders",
            TopicSettings.defaults()
                .withSubscription("billing")
                .withSubscription("Shipping", EntitySettings.defaults().withMaxDeliveryCount(1)))
        .topic(
            "targeted",
            TopicSettings.defaults()
                .withSubscription("billing")
                .withSubscription("email")
                .withRule(
                    "billing",
                    "cloudEvents_ferrytarget IS NULL OR cloudEvents_ferrytarget = 'billing'")
                .withRule(
                    "email",
                    "cloudEvents_ferrytarget IS NULL OR cloudEvents_ferrytarget = 'email'"))
        .topic(
            "events",
            TopicSettings.defaults()
                .withDuplicateDetectionWindow(Duration.ofMinutes(1))
                .withDefaultTimeToLive(Duration.ofMinutes(5))
                .withSubscription(
                    "all", EntitySettings.defaults().withDefaultTimeToLive(Duration.ofHours(1))));
  }

  @Test
  void aRuleAdmitsBroadcastsAndTheCopiesMeantForItsSubscription() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().topicName("targeted").buildClient()) {
      sender.sendMessage(Sdk.message("broadcast", "x"));
      ServiceBusMessage forEmail = Sdk.message("retry-for-email", "x");
      forEmail.getApplicationProperties().put("cloudEvents_ferrytarget", "EMAIL");
      sender.sendMessage(forEmail);
    }
    assertThat(serviceBus.bus().entity("targeted/subscriptions/billing").messages())
        .extracting(MessageSnapshot::messageId)
        .containsExactly("broadcast");
    assertThat(serviceBus.bus().entity("targeted/subscriptions/email").messages())
        .extracting(MessageSnapshot::messageId)
        .containsExactly("broadcast", "retry-for-email");
    assertThatThrownBy(
            () -> TopicSettings.defaults().withSubscription("s").withRule("s", "sys.Label = 'x'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evaluates only filters of the form");
  }

  @Test
  void eachSubscriptionGetsItsOwnCopyWithItsOwnSettingsAndDeadLetterQueue() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().topicName("orders").buildClient();
        ServiceBusReceiverClient billing =
            serviceBus
                .client()
                .receiver()
                .topicName("orders")
                .subscriptionName("billing")
                .buildClient();
        ServiceBusReceiverClient shipping =
            serviceBus
                .client()
                .receiver()
                .topicName("orders")
                .subscriptionName("shipping")
                .buildClient();
        ServiceBusReceiverClient shippingDeadLetters =
            serviceBus
                .client()
                .receiver()
                .topicName("orders")
                .subscriptionName("shipping")
                .subQueue(SubQueue.DEAD_LETTER_QUEUE)
                .buildClient()) {
      sender.sendMessage(Sdk.message("o-1", "placed"));
      assertThat(serviceBus.bus().entity("orders/subscriptions/billing").activeCount())
          .isEqualTo(1);
      assertThat(serviceBus.bus().entity("orders/subscriptions/SHIPPING").activeCount())
          .isEqualTo(1);

      ServiceBusReceivedMessage forBilling = PeekLockTest.receiveOne(billing);
      ServiceBusReceivedMessage forShipping = PeekLockTest.receiveOne(shipping);
      assertThat(forBilling.getMessageId()).isEqualTo("o-1");
      assertThat(forShipping.getSequenceNumber()).isEqualTo(forBilling.getSequenceNumber());
      assertThat(forShipping.getLockToken()).isNotEqualTo(forBilling.getLockToken());

      billing.complete(forBilling);
      shipping.abandon(forShipping); // maxDeliveryCount 1: straight to the DLQ

      assertThat(serviceBus.bus().entity("orders/subscriptions/billing").messages()).isEmpty();
      assertThat(serviceBus.bus().deadLetters("orders/subscriptions/billing")).isEmpty();
      assertThat(serviceBus.bus().deadLetters("orders/subscriptions/shipping"))
          .singleElement()
          .satisfies(m -> assertThat(m.deadLetterReason()).isEqualTo("MaxDeliveryCountExceeded"));

      ServiceBusReceivedMessage dead = PeekLockTest.receiveOne(shippingDeadLetters);
      assertThat(dead.getMessageId()).isEqualTo("o-1");
      assertThat(dead.getDeadLetterSource()).isEqualTo("orders/subscriptions/Shipping");
      shippingDeadLetters.complete(dead);
    }
  }

  @Test
  void duplicateDetectionAndTimeToLiveBelongToTheTopic() {
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().topicName("events").buildClient()) {
      sender.sendMessage(Sdk.message("ev-1", "first"));
      sender.sendMessage(Sdk.message("ev-1", "again"));
    }
    assertThat(serviceBus.bus().entity("events/subscriptions/all").messages())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.bodyAsString()).isEqualTo("first");
              assertThat(m.expiresAt()).isEqualTo(m.enqueuedTime().plus(Duration.ofMinutes(5)));
            });
    assertThat(serviceBus.bus().operations("duplicate"))
        .extracting(Operation::entity)
        .containsExactly("events");
    // The topic itself keeps nothing once a message is copied.
    assertThat(serviceBus.bus().entity("events").messages()).isEmpty();
  }
}
