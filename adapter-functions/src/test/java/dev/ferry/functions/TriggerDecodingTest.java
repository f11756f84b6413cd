package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Reasons;
import dev.ferry.functions.app.ParcelFunctions;
import dev.ferry.functions.app.ParcelHandlers;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.FunctionsHostSimulator;
import dev.ferry.testkit.functions.InvocationContext;
import dev.ferry.testkit.functions.TriggerMetadata;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Functions trigger reads messages with the same decoder as Ferry's own listener: the same
 * envelope id for a message without a MessageId, and the same receive size limit.
 */
@ExtendWith(PostgresExtension.class)
class TriggerDecodingTest {
  private static final int LIMIT = 1024;
  private FunctionApp app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aMessageWithoutAMessageIdHasTheSameEnvelopeIdOnBothPathsAndTwoSuchStayTwo(
      PostgresDatabase database) {
    app = new FunctionApp(database, Map.of());
    try (ServiceBusSenderClient sender = client().sender().queueName("parcels").buildClient()) {
      for (String parcel : List.of("anon-1", "anon-2")) {
        // Same subject and body bytes but for the id: nothing but the broker tells them apart.
        sender.sendMessage(
            new ServiceBusMessage(FunctionInvocationTest.parcel(parcel, 1))
                .setSubject("ship-parcel"));
      }
    }
    List<ServiceBusReceivedMessage> received = new ArrayList<>();
    try (ServiceBusReceiverClient receiver =
        client().receiver().queueName("parcels").disableAutoComplete().buildClient()) {
      while (received.size() < 2) {
        receiver.receiveMessages(2, Duration.ofSeconds(5)).forEach(received::add);
      }
      ServiceBusDecoder listenerDecoder =
          new ServiceBusDecoder(Address.parse("servicebus:queue:parcels"), Integer.MAX_VALUE);
      List<String> listenerIds = new ArrayList<>();
      for (ServiceBusReceivedMessage m : received) {
        assertThat(m.getMessageId()).isNull();
        listenerIds.add(listenerDecoder.decode(InboundMessage.of(m)).envelope().id());
        invokeAsTheHost(m);
        receiver.complete(m);
      }
      assertThat(listenerIds).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
      assertThat(ParcelHandlers.SHIPPING_RUNS).containsOnlyKeys("anon-1", "anon-2");
      assertThat(FerryFunctions.bus().metrics().duplicates()).isZero();
      List<String> triggerIds =
          List.of(
              ParcelHandlers.ENVELOPES.get(parcelOf(received.get(0))).id(),
              ParcelHandlers.ENVELOPES.get(parcelOf(received.get(1))).id());
      assertThat(triggerIds).isEqualTo(listenerIds);
    }
  }

  @Test
  void aRetryCopyWithGarbledPropertiesHasTheEnvelopeIdItCarriesOnBothPaths(
      PostgresDatabase database) {
    app = new FunctionApp(database, Map.of());
    ServiceBusMessage copy =
        new ServiceBusMessage(FunctionInvocationTest.parcel("garbled", 1))
            .setSubject("ship-parcel")
            .setMessageId("p-7~1");
    copy.getApplicationProperties().put("cloudEvents_id", "p-7");
    copy.getApplicationProperties().put("cloudEvents_attempts", "three");
    try (ServiceBusSenderClient sender = client().sender().queueName("parcels").buildClient()) {
      sender.sendMessage(copy);
    }
    try (ServiceBusReceiverClient receiver =
        client().receiver().queueName("parcels").disableAutoComplete().buildClient()) {
      ServiceBusReceivedMessage m = null;
      while (m == null) {
        for (ServiceBusReceivedMessage r : receiver.receiveMessages(1, Duration.ofSeconds(5))) {
          m = r;
        }
      }
      var listenerPath =
          new ServiceBusDecoder(Address.parse("servicebus:queue:parcels"), Integer.MAX_VALUE)
              .decode(InboundMessage.of(m));
      assertThat(listenerPath.malformed()).contains("cloudEvents_attempts");
      invokeAsTheHost(m);
      receiver.complete(m);
      DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
      assertThat(dead.reason()).isEqualTo(Reasons.MALFORMED_HEADERS);
      assertThat(dead.envelope().id()).isEqualTo("p-7").isEqualTo(listenerPath.envelope().id());
    }
  }

  @Test
  void anOversizeBodyIsADeadLetterWithItsSizeAndTheInvocationCompletes(PostgresDatabase database) {
    app = new FunctionApp(database, Map.of("ferry.servicebus.max-body-size", "" + LIMIT));
    byte[] large =
        ("{\"parcelId\":\"big\",\"weight\":1,\"note\":\"" + "x".repeat(5000) + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    FunctionInvocationTest.invokeShip("big", large, 1, FunctionInvocationTest.ferryProperties());
    FunctionInvocationTest.invokeShip(
        "small",
        FunctionInvocationTest.parcel("small", 1),
        1,
        FunctionInvocationTest.ferryProperties());

    assertThat(ParcelHandlers.SHIPPING_RUNS).containsOnlyKeys("small");
    List<DeadLetter> dead = FerryFunctions.bus().deadLetters().list(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).envelope().id()).isEqualTo("big");
    assertThat(dead.get(0).reason()).isEqualTo(Reasons.TOO_LARGE);
    assertThat(dead.get(0).envelope().body()).isEqualTo(Arrays.copyOf(large, LIMIT));
    assertThat(dead.get(0).envelope().headers())
        .containsEntry(Reasons.ORIGINAL_SIZE_HEADER, Integer.toString(large.length));
  }

  @Test
  void anAmqpSequenceBodyTheHostCannotBindIsNeverCompletedAndEndsInTheDeadLetterQueueIntact(
      PostgresDatabase database) {
    app = new FunctionApp(database, Map.of());
    List<Object> sequence = List.of("one", 2L, List.of(3, "four"));
    try (FunctionsHostSimulator host =
            FunctionsHostSimulator.start(
                app.serviceBus.connectionString(), 1, 1, ParcelFunctions.class);
        ServiceBusSenderClient sender = client().sender().queueName("parcels").buildClient()) {
      sender.sendMessage(
          new ServiceBusMessage(AmqpMessageBody.fromSequence(sequence))
              .setSubject("ship-parcel")
              .setMessageId("sequence-1"));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> app.serviceBus.deadLetters("parcels").size() == 1);
      MessageSnapshot dlq = app.serviceBus.deadLetters("parcels").get(0);
      assertThat(dlq.messageId()).isEqualTo("sequence-1");
      assertThat(dlq.bodyValue()).isEqualTo(sequence);
      assertThat(host.invocations("ship")).noneMatch(FunctionsHostSimulator.Invocation::completed);
      assertThat(ParcelHandlers.SHIPPING_RUNS).isEmpty();
    }
  }

  /** Calls the function with the payload and metadata the host binds for this message. */
  @SuppressWarnings("unchecked")
  private static void invokeAsTheHost(ServiceBusReceivedMessage m) {
    Map<String, Object> md = TriggerMetadata.of(m);
    new ParcelFunctions()
        .ship(
            m.getBody().toBytes(),
            (String) md.get("MessageId"),
            (Integer) md.get("DeliveryCount"),
            (Long) md.get("SequenceNumber"),
            (String) md.get("Subject"),
            (String) md.get("ContentType"),
            (String) md.get("CorrelationId"),
            (String) md.get("ReplyTo"),
            (String) md.get("SessionId"),
            (Map<String, Object>) md.get("ApplicationProperties"),
            (String) md.get("EnqueuedTimeUtc"),
            new InvocationContext("ship"));
  }

  private static String parcelOf(ServiceBusReceivedMessage m) {
    String body = m.getBody().toString();
    return body.substring(body.indexOf(":\"") + 2, body.indexOf("\","));
  }

  private ServiceBusClientBuilder client() {
    return new ServiceBusClientBuilder().connectionString(app.serviceBus.connectionString());
  }
}
