package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import dev.ferry.functions.app.BatchParcelFunctions;
import dev.ferry.functions.app.ParcelApp;
import dev.ferry.functions.app.ParcelFunctions;
import dev.ferry.functions.app.ParcelHandlers;
import dev.ferry.functions.app.ParcelMessages.ShipParcel;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.FunctionsHostSimulator;
import dev.ferry.testkit.functions.FunctionsHostSimulator.Invocation;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The app's functions driven as the Functions host drives them: the real SDK receives from Service
 * Bus (the test double), the simulator invokes the function, and the message is completed when it
 * returns and abandoned when it throws. Another service sends with Ferry over Service Bus.
 */
@ExtendWith(PostgresExtension.class)
class HostSimulatorTest {

  @Test
  void messagesAreHandledAndCascadesReachTheSubscribersFunction(PostgresDatabase database) {
    try (FunctionApp app = new FunctionApp(database, Map.of());
        MessageBus shop = shop(app);
        FunctionsHostSimulator host = hostOf(app)) {
      for (int i = 0; i < 20; i++) {
        shop.send(new ShipParcel("p-" + i, 1));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> ParcelHandlers.TRACKED.size() == 20);
      // A ship invocation is recorded when the function returns, which may be after the cascade
      // it sent has already been tracked by the other function.
      await().atMost(Duration.ofSeconds(5)).until(() -> host.invocations("ship").size() >= 20);
      assertThat(ParcelHandlers.SHIPPING_RUNS.values()).allMatch(runs -> runs.get() == 1);
      assertThat(host.invocations("ship")).hasSize(20).allMatch(Invocation::completed);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> app.serviceBus.entity("parcels").messages().isEmpty());
    }
  }

  @Test
  void aPoisonMessageBecomesAFerryDeadLetterAfterItsAttempts(PostgresDatabase database) {
    try (FunctionApp app = new FunctionApp(database, Map.of());
        MessageBus shop = shop(app);
        FunctionsHostSimulator host = hostOf(app)) {
      shop.send(new ShipParcel("p-bad", -1));
      shop.send(new ShipParcel("p-good", 1));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> FerryFunctions.bus().deadLetters().count() == 1);
      DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
      assertThat(dead.envelope().id()).isNotBlank();
      assertThat(dead.exceptionMessage()).contains("p-bad");
      assertThat(dead.attempts()).isEqualTo(ParcelApp.ATTEMPTS);

      List<Invocation> poison =
          host.invocations("ship").stream()
              .filter(i -> i.messageIds().contains(dead.envelope().id()))
              .toList();
      // Each failed attempt was a delivery: abandoned twice, completed as a dead letter.
      assertThat(poison).extracting(Invocation::deliveryCount).containsExactly(1, 2, 3);
      assertThat(poison).extracting(Invocation::completed).containsExactly(false, false, true);
      assertThat(ParcelHandlers.SHIPPING_RUNS.get("p-bad")).hasValue(ParcelApp.ATTEMPTS);
      // The good parcel's tracking is a cascade of its own invocation: it may still be on its way.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ParcelHandlers.TRACKED.containsKey("p-good"));
      assertThat(ParcelHandlers.TRACKED).containsOnlyKeys("p-good");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> app.serviceBus.entity("parcels").messages().isEmpty());
      assertThat(app.serviceBus.deadLetters("parcels")).isEmpty();
    }
  }

  @Test
  void withNativeDeadLettersAPoisonMessageEndsInTheEntitysDeadLetterQueue(
      PostgresDatabase database) {
    try (FunctionApp app = new FunctionApp(database, Map.of("ferry.dead-letter.native", "true"));
        MessageBus shop = shop(app);
        FunctionsHostSimulator host = hostOf(app)) {
      shop.send(new ShipParcel("p-bad", -1));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> app.serviceBus.deadLetters("parcels").size() == 1);
      MessageSnapshot dlq = app.serviceBus.deadLetters("parcels").get(0);
      assertThat(dlq.deadLetterReason()).isEqualTo("MaxDeliveryCountExceeded");
      assertThat(host.invocations("ship")).hasSize(FunctionApp.MAX_DELIVERY_COUNT);
      assertThat(host.invocations("ship")).noneMatch(Invocation::completed);
      assertThat(FerryFunctions.bus().deadLetters().count()).isZero();
    }
  }

  @Test
  void aDuplicateSentTwiceIsHandledOnce(PostgresDatabase database) throws Exception {
    try (FunctionApp app = new FunctionApp(database, Map.of());
        FunctionsHostSimulator host = hostOf(app)) {
      var sender =
          new com.azure.messaging.servicebus.ServiceBusClientBuilder()
              .connectionString(app.serviceBus.connectionString())
              .sender()
              .queueName("parcels")
              .buildClient();
      try (sender) {
        for (int i = 0; i < 2; i++) {
          var m =
              new com.azure.messaging.servicebus.ServiceBusMessage(
                  FunctionInvocationTest.parcel("p-dup", 1));
          m.setMessageId("p-dup");
          m.setSubject("ship-parcel");
          m.setContentType("application/json");
          sender.sendMessage(m);
        }
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> host.invocations("ship").size() == 2);
      await().atMost(Duration.ofSeconds(10)).until(() -> ParcelHandlers.TRACKED.size() == 1);
      assertThat(host.invocations("ship")).allMatch(Invocation::completed);
      assertThat(ParcelHandlers.SHIPPING_RUNS.get("p-dup")).hasValue(1);
      assertThat(app.shipments("p-dup")).isEqualTo(1);
      assertThat(FerryFunctions.bus().metrics().duplicates()).isEqualTo(1);
    }
  }

  @Test
  void aBatchTriggerHandlesEveryMessageOnceAndItsPoisonBecomesADeadLetter(
      PostgresDatabase database) {
    try (FunctionApp app = new FunctionApp(database, Map.of());
        MessageBus shop = shop(app);
        FunctionsHostSimulator host =
            FunctionsHostSimulator.start(
                app.serviceBus.connectionString(),
                1,
                10,
                BatchParcelFunctions.class,
                TrackingOnly.class)) {
      for (int i = 0; i < 30; i++) {
        shop.send(new ShipParcel("b-" + i, i == 7 ? -1 : 1));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ParcelHandlers.TRACKED.size() == 29
                      && FerryFunctions.bus().deadLetters().count() == 1);
      assertThat(host.invocations("shipBatch")).anyMatch(i -> i.messageIds().size() > 1);
      for (int i = 0; i < 30; i++) {
        if (i != 7) {
          assertThat(app.shipments("b-" + i)).as("b-" + i).isEqualTo(1);
        }
      }
      assertThat(ParcelHandlers.TRACKED.values()).allMatch(n -> n.get() == 1);
      assertThat(FerryFunctions.bus().deadLetters().list(10).get(0).exceptionMessage())
          .contains("b-7");
    }
  }

  /**
   * With {@code ferry.errors.redelivery=schedule}, a retry is a copy scheduled natively for the
   * subscription it failed on, and the original is completed: nothing waits in the function.
   */
  @Test
  void aScheduledRetryCopyReachesOnlyTheSubscriptionItFailedOn(PostgresDatabase database) {
    try (FunctionApp app =
            new FunctionApp(database, Map.of("ferry.errors.redelivery", "schedule"));
        MessageBus shop = shop(app);
        FunctionsHostSimulator host = hostOf(app)) {
      ParcelHandlers.TRACKING_FAILS_ONCE.add("p-late");
      shop.send(new ShipParcel("p-late", 1));

      await().atMost(Duration.ofSeconds(20)).until(() -> ParcelHandlers.TRACKED.size() == 1);
      assertThat(ParcelHandlers.TRACKING_ATTEMPTS.get("p-late")).containsExactly(1, 2);
      assertThat(host.invocations("track")).hasSize(2).allMatch(Invocation::completed);
      // The copy went to the topic naming "tracking": without a filter rule billing's subscription
      // gets it too, and its subscriber would complete it unhandled.
      assertThat(
              app.serviceBus.entity("parcel-shipped/subscriptions/billing").messages().stream()
                  .filter(
                      m ->
                          "tracking"
                              .equals(m.applicationProperties().get("cloudEvents_ferrytarget")))
                  .count())
          .isEqualTo(1);
      assertThat(app.shipments("p-late")).isEqualTo(1);
    }
  }

  /** The tracking function alone, beside the batch shipping function. */
  public static class TrackingOnly {
    @com.microsoft.azure.functions.annotation.FunctionName("track")
    public void track(
        @com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger(
                name = "message",
                topicName = "parcel-shipped",
                subscriptionName = "tracking",
                connection = "ServiceBusConnection")
            String body,
        @com.microsoft.azure.functions.annotation.BindingName("MessageId") String messageId,
        @com.microsoft.azure.functions.annotation.BindingName("DeliveryCount") int deliveryCount,
        @com.microsoft.azure.functions.annotation.BindingName("SequenceNumber") long sequenceNumber,
        @com.microsoft.azure.functions.annotation.BindingName("Subject") String subject,
        @com.microsoft.azure.functions.annotation.BindingName("ContentType") String contentType,
        @com.microsoft.azure.functions.annotation.BindingName("CorrelationId") String correlationId,
        @com.microsoft.azure.functions.annotation.BindingName("ApplicationProperties")
            Map<String, Object> properties,
        @com.microsoft.azure.functions.annotation.BindingName("EnqueuedTimeUtc")
            String enqueuedTimeUtc,
        com.microsoft.azure.functions.ExecutionContext context) {
      new ParcelFunctions()
          .track(
              body,
              messageId,
              deliveryCount,
              sequenceNumber,
              subject,
              contentType,
              correlationId,
              properties,
              enqueuedTimeUtc,
              context);
    }
  }

  /** Another service that sends parcels to the app over Service Bus with Ferry. */
  private static MessageBus shop(FunctionApp app) {
    return MessageBus.builder()
        .serviceName("shop")
        .transport("servicebus")
        .property("ferry.servicebus.connection-string", app.serviceBus.connectionString())
        .messageTypes(ShipParcel.class)
        .route(ShipParcel.class, ParcelApp.PARCELS_QUEUE)
        .build();
  }

  /** The Functions host running the app's {@link ParcelFunctions}, up to four calls at a time. */
  private static FunctionsHostSimulator hostOf(FunctionApp app) {
    return FunctionsHostSimulator.start(
        app.serviceBus.connectionString(), 4, 1, ParcelFunctions.class);
  }
}
