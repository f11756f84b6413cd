package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.servicebus.DeadLetterDrain;
import dev.ferry.servicebus.internal.ServiceBusWireFormat;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The drain action: the Service Bus adapter's {@link DeadLetterDrain}, over the real SDK against
 * the AMQP test double, moves a native dead letter into the PostgreSQL store, where the console
 * lists it with the others; the drain is audited.
 */
@ExtendWith(PostgresExtension.class)
class ConsoleDrainTest {
  static final String QUEUE = "shop.native";
  static final String ENTITY = "servicebus:queue:" + QUEUE;

  @Test
  void drainsTheNativeDeadLetterQueueIntoTheStoreAndAuditsIt(PostgresDatabase db) throws Exception {
    JdbiEnvelopeStore store = TestStores.inNewSchema(db);
    try (ServiceBusTestDouble serviceBus = ServiceBusTestDouble.builder().queue(QUEUE).start();
        ShopService shop = new ShopService(b -> b.store(store));
        DeadLetterDrain drain =
            DeadLetterDrain.builder()
                .connectionString(serviceBus.connectionString())
                .store(store)
                .receiveWait(Duration.ofMillis(500))
                .build()) {
      nativeDeadLetter(serviceBus, "native-1");
      FerryConsole console =
          FerryConsole.builder(shop.bus)
              .auditStore(store)
              .nativeDrain(ENTITY, entity -> drain.drain(Address.parse(entity)))
              .build();
      try (ConsoleServer server = console.serve()) {
        ConsoleHttp http = new ConsoleHttp(server);
        assertThat(http.get("api/session").json().get("drains").get(0).asText()).isEqualTo(ENTITY);
        assertThat(http.post("api/drain", "{\"entity\":\"servicebus:queue:other\"}").status())
            .isEqualTo(404);

        JsonNode moved = http.post("api/drain", "{\"entity\":\"" + ENTITY + "\"}").json();
        assertThat(moved.get("moved").asInt()).isEqualTo(1);
        assertThat(serviceBus.deadLetters(QUEUE)).isEmpty();

        JsonNode listed = http.get("api/dead-letters?endpoint=" + ENTITY).json().get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("reason").asText()).isEqualTo("validation");
        assertThat(listed.get(0).get("exceptionMessage").asText())
            .isEqualTo("total must be positive");

        JsonNode audit = http.get("api/audit").json().get("entries");
        assertThat(audit.get(0).get("action").asText()).isEqualTo("drain");
        assertThat(audit.get(0).get("target").asText()).isEqualTo(ENTITY);
        assertThat(audit.get(0).get("result").asText()).isEqualTo("moved 1");
        assertThat(audit).hasSize(1); // the unknown entity was refused before anything ran
      }
    } finally {
      db.dropSchema(store.schema());
    }
  }

  /** A message that a receiver rejected into the queue's native dead-letter queue. */
  private static void nativeDeadLetter(ServiceBusTestDouble serviceBus, String id) {
    Envelope e =
        Envelope.builder()
            .id(id)
            .messageType(ShopService.SHIP_TYPE)
            .contentType("application/json")
            .source("elsewhere")
            .sentAt(Instant.now())
            .body("{\"orderId\":\"o-n\",\"quantity\":-5}".getBytes(StandardCharsets.UTF_8))
            .build();
    ServiceBusClientBuilder client =
        new ServiceBusClientBuilder().connectionString(serviceBus.connectionString());
    try (ServiceBusSenderClient sender = client.sender().queueName(QUEUE).buildClient()) {
      sender.sendMessage(ServiceBusWireFormat.toMessage(e, null, null, Instant.now()));
    }
    try (ServiceBusReceiverClient receiver =
        client.receiver().queueName(QUEUE).disableAutoComplete().buildClient()) {
      for (ServiceBusReceivedMessage m : receiver.receiveMessages(1, Duration.ofSeconds(5))) {
        receiver.deadLetter(
            m,
            new DeadLetterOptions()
                .setDeadLetterReason("validation")
                .setDeadLetterErrorDescription("total must be positive"));
      }
    }
    if (serviceBus.deadLetters(QUEUE).size() != 1) {
      throw new AssertionError("the native dead letter was not made");
    }
  }
}
