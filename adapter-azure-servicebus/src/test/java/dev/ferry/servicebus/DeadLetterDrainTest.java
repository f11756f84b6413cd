package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.servicebus.internal.ServiceBusWireFormat;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.testkit.conformance.TestMessages.Event;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native dead letters drained into the bus's store (here the in-memory one the bus would build
 * itself), listed and replayed there; {@code DeadLetterDrainJdbiTest} does the same on PostgreSQL.
 */
class DeadLetterDrainTest {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("drain.orders", EntitySettings.defaults().withMaxDeliveryCount(2))
            .queue(
                "drain.failing", EntitySettings.defaults().withLockDuration(Duration.ofSeconds(1)))
            .topic("drain.events", TopicSettings.defaults().withSubscription("billing"))
            .start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  static InMemoryEnvelopeStore memoryStore() {
    return new InMemoryEnvelopeStore(1000, 1000, 1000, Duration.ofSeconds(1));
  }

  @Test
  void nativeDeadLettersAreStoredWithTheirReasonAndReplayedToTheirQueue() throws Exception {
    Envelope rejected = envelope("rejected-1", new Work(1));
    Envelope poisoned = envelope("poisoned-2", new Work(2));
    send("drain.orders", rejected, poisoned);
    try (ServiceBusReceiverClient receiver = receiver("drain.orders")) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (serviceBus.deadLetters("drain.orders").size() < 2 && System.nanoTime() < deadline) {
        for (ServiceBusReceivedMessage m : receiver.receiveMessages(2, Duration.ofMillis(300))) {
          if (m.getMessageId().equals("rejected-1")) {
            receiver.deadLetter(
                m,
                new DeadLetterOptions()
                    .setDeadLetterReason("validation")
                    .setDeadLetterErrorDescription("total must be positive"));
          } else {
            receiver.abandon(m); // twice: MaxDeliveryCount 2 moves it to the dead-letter queue
          }
        }
      }
    }
    assertThat(serviceBus.deadLetters("drain.orders")).hasSize(2);

    InMemoryEnvelopeStore store = memoryStore();
    try (DeadLetterDrain drain = drain(store)) {
      assertThat(drain.drain(Address.parse("servicebus:queue:drain.orders"))).isEqualTo(2);
      assertThat(drain.drain(Address.queue("drain.orders"))).isZero();
    }
    assertThat(serviceBus.deadLetters("drain.orders")).isEmpty();

    List<Work> handled = new CopyOnWriteArrayList<>();
    try (MessageBus bus = replayingBus(serviceBus, store, "queue:drain.orders", handled)) {
      List<DeadLetter> listed = bus.deadLetters().list("servicebus:queue:drain.orders", 10);
      assertThat(listed).hasSize(2);
      DeadLetter validation =
          listed.stream().filter(d -> d.reason().equals("validation")).findFirst().orElseThrow();
      assertThat(validation.id()).isEqualTo("rejected-1@servicebus:queue:drain.orders");
      assertThat(validation.exceptionMessage()).isEqualTo("total must be positive");
      assertThat(validation.attempts()).isEqualTo(1);
      assertThat(validation.envelope()).isEqualTo(rejected);
      assertThat(validation.deadLetteredAt()).isBefore(Instant.now().plusSeconds(1));
      DeadLetter exceeded = listed.stream().filter(d -> d != validation).findFirst().orElseThrow();
      assertThat(exceeded.reason()).isEqualTo("MaxDeliveryCountExceeded");
      assertThat(exceeded.exceptionMessage()).contains("2 delivery attempts");
      assertThat(exceeded.attempts()).isEqualTo(2);
      assertThat(exceeded.envelope().id()).isEqualTo("poisoned-2");

      assertThat(bus.deadLetters().replay(validation.id())).isTrue();
      assertThat(bus.deadLetters().replay(exceeded.id())).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
      assertThat(handled).containsExactlyInAnyOrder(new Work(1), new Work(2));
      assertThat(bus.deadLetters().count()).isZero();
    }
  }

  @Test
  void aSubscriptionsDeadLettersReplayToThatSubscription() throws Exception {
    Envelope event = envelope("event-1", new Event("e1"));
    try (ServiceBusSenderClient sender =
        client().sender().topicName("drain.events").buildClient()) {
      sender.sendMessage(ServiceBusWireFormat.toMessage(event, null, null, Instant.now()));
    }
    try (ServiceBusReceiverClient receiver =
        client().receiver().topicName("drain.events").subscriptionName("billing").buildClient()) {
      for (ServiceBusReceivedMessage m : receiver.receiveMessages(1, Duration.ofSeconds(5))) {
        receiver.deadLetter(m, new DeadLetterOptions().setDeadLetterReason("billing-down"));
      }
    }
    InMemoryEnvelopeStore store = memoryStore();
    try (DeadLetterDrain drain = drain(store)) {
      assertThat(drain.drain(Address.parse("topic:drain.events/subscriptions/billing")))
          .isEqualTo(1);
    }
    List<String> billed = new CopyOnWriteArrayList<>();
    try (MessageBus billing =
        MessageBus.builder()
            .serviceName("billing")
            .store(store)
            .transport(Doubles.transport(serviceBus).build())
            .route(Event.class, "topic:drain.events")
            .handle(
                Event.class,
                (e, ctx) -> {
                  billed.add(e.id());
                  return null;
                })
            .build()) {
      DeadLetter dl = billing.deadLetters().list(10).get(0);
      assertThat(dl.endpoint()).isEqualTo("servicebus:topic:drain.events/subscriptions/billing");
      assertThat(dl.reason()).isEqualTo("billing-down");
      assertThat(dl.exceptionMessage()).isNull();
      assertThat(billing.deadLetters().replay(dl.id())).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> billed.contains("e1"));
    }
  }

  @Test
  void aStoreFailureLeavesTheMessageInTheNativeQueue() throws Exception {
    send("drain.failing", envelope("kept-1", new Work(3)));
    try (ServiceBusReceiverClient receiver = receiver("drain.failing")) {
      for (ServiceBusReceivedMessage m : receiver.receiveMessages(1, Duration.ofSeconds(5))) {
        receiver.deadLetter(m, new DeadLetterOptions().setDeadLetterReason("validation"));
      }
    }
    try (DeadLetterDrain drain = drain(failingDeadLetters(memoryStore()))) {
      assertThatThrownBy(() -> drain.drain(Address.queue("drain.failing")))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("kept-1@servicebus:queue:drain.failing")
          .hasMessageContaining("stays in the native dead-letter queue")
          .hasRootCauseMessage("database is down");
    }
    assertThat(serviceBus.deadLetters("drain.failing")).hasSize(1);
    System.out.println(
        "OPS "
            + serviceBus.operations().stream()
                .filter(o -> o.entity().contains("failing"))
                .toList());
    System.out.println("DLQ " + serviceBus.entity("drain.failing/$deadletterqueue").messages());
    // Its lock (1 s on this queue) runs out, and the next drain moves it.
    InMemoryEnvelopeStore working = memoryStore();
    try (DeadLetterDrain drain = drain(working)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> drain.drain(Address.queue("drain.failing")) == 1);
    }
    assertThat(working.deadLetter("kept-1@servicebus:queue:drain.failing")).isPresent();
    assertThat(serviceBus.deadLetters("drain.failing")).isEmpty();
  }

  @Test
  void aTopicHasNoDeadLetterQueue() {
    try (DeadLetterDrain drain = drain(memoryStore())) {
      assertThatThrownBy(() -> drain.drain(Address.topic("drain.events")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("drain its subscriptions");
    }
  }

  /** A store whose dead-letter writes fail, as when its database is down. */
  static EnvelopeStore failingDeadLetters(EnvelopeStore delegate) {
    return (EnvelopeStore)
        Proxy.newProxyInstance(
            EnvelopeStore.class.getClassLoader(),
            new Class<?>[] {EnvelopeStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("storeDeadLetter")) {
                throw new IllegalStateException("database is down");
              }
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static DeadLetterDrain drain(EnvelopeStore store) {
    return drain(serviceBus, store);
  }

  static DeadLetterDrain drain(ServiceBusTestDouble serviceBus, EnvelopeStore store) {
    return DeadLetterDrain.builder()
        .connectionString(serviceBus.connectionString())
        .store(store)
        .receiveWait(Duration.ofMillis(500))
        .build();
  }

  /** The orders service on {@code store}, whose Work handler collects what it handles. */
  static MessageBus replayingBus(
      ServiceBusTestDouble serviceBus, EnvelopeStore store, String queue, List<Work> handled) {
    return MessageBus.builder()
        .serviceName("orders")
        .store(store)
        .transport(Doubles.transport(serviceBus).build())
        .route(Work.class, queue)
        .handle(
            Work.class,
            (w, ctx) -> {
              handled.add(w);
              return null;
            })
        .build();
  }

  static Envelope envelope(String id, Object message) {
    String alias = message.getClass().getAnnotation(dev.ferry.MessageType.class).value();
    String json =
        message instanceof Work w
            ? "{\"n\":" + w.n() + "}"
            : "{\"id\":\"" + ((Event) message).id() + "\"}";
    return Envelope.builder()
        .id(id)
        .messageType(alias)
        .contentType("application/json")
        .correlationId(id)
        .source("drain-test")
        .sentAt(Instant.parse("2026-11-21T10:15:30Z"))
        .body(json.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  static ServiceBusClientBuilder client() {
    return Doubles.client(serviceBus);
  }

  static void send(String queue, Envelope... envelopes) {
    send(serviceBus, queue, envelopes);
  }

  static void send(ServiceBusTestDouble serviceBus, String queue, Envelope... envelopes) {
    Doubles.send(
        serviceBus,
        queue,
        Arrays.stream(envelopes)
            .map(e -> ServiceBusWireFormat.toMessage(e, null, null, Instant.now()))
            .toArray(ServiceBusMessage[]::new));
  }

  static ServiceBusReceiverClient receiver(String queue) {
    return client().receiver().queueName(queue).disableAutoComplete().buildClient();
  }
}
