package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.servicebus.internal.ServiceBusWireFormat;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Ferry's listener does with bodies it must not hand to a handler as they are: one over the
 * receive limit, and AMQP value and sequence bodies from foreign AMQP senders. Each becomes a dead
 * letter with its reason whose content is kept, and the listener goes on; and the wire's content
 * type reaches the envelope unchanged.
 */
class ServiceBusReceiveDecodingTest {
  private static final int LIMIT = 1024;
  private static final String PING = "ferry.test.ping.v1";
  private static ServiceBusTestDouble serviceBus;
  private MessageBus bus;
  private final List<Envelope> handled = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startDouble() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("decode.limit")
            .queue("decode.sequence")
            .queue("decode.value")
            .queue("decode.content-type")
            .queue("decode.drain")
            .start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  private void startBus(String queue) {
    bus =
        MessageBus.builder()
            .serviceName("decoding")
            .transport(Doubles.transport(serviceBus).maxBodySize(LIMIT).build())
            .route(Ping.class, "queue:" + queue)
            .handle(
                Ping.class,
                (p, ctx) -> {
                  handled.add(ctx.envelope());
                  return null;
                })
            .build();
  }

  @Test
  void anOversizeBodyBecomesADeadLetterWithItsFirstBytesAndSizeAndTheListenerGoesOn() {
    startBus("decode.limit");
    byte[] large =
        ("{\"n\":1,\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
    ServiceBusMessage big = new ServiceBusMessage(large).setSubject(PING).setMessageId("large");
    ServiceBusMessage small =
        new ServiceBusMessage("{\"n\":2}").setSubject(PING).setMessageId("small");
    send("decode.limit", big, small);

    await().atMost(Duration.ofSeconds(15)).until(() -> bus.deadLetters().count() == 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 1);
    assertThat(handled).extracting(Envelope::id).containsExactly("small");
    DeadLetter dead = bus.deadLetters().list(10).get(0);
    assertThat(dead.envelope().id()).isEqualTo("large");
    assertThat(dead.reason()).isEqualTo(Reasons.TOO_LARGE);
    assertThat(dead.envelope().body()).isEqualTo(Arrays.copyOf(large, LIMIT));
    assertThat(dead.envelope().headers())
        .containsEntry(Reasons.ORIGINAL_SIZE_HEADER, Integer.toString(large.length));
    awaitEmpty("decode.limit");
  }

  @Test
  void aSequenceBodyFromAForeignSenderIsADeadLetterThatKeepsItAmqpEncoded() {
    startBus("decode.sequence");
    List<Object> sequence = List.of("one", 2L, List.of(3, "four"), Map.of("five", 5.5));
    ServiceBusMessage foreign =
        new ServiceBusMessage(AmqpMessageBody.fromSequence(sequence))
            .setSubject(PING)
            .setMessageId("sequence-1");
    ServiceBusMessage good =
        new ServiceBusMessage("{\"n\":3}").setSubject(PING).setMessageId("good");
    send("decode.sequence", foreign, good);

    DeadLetter dead = awaitDeadLetter();
    assertThat(dead.envelope().id()).isEqualTo("sequence-1");
    assertThat(dead.envelope().messageType()).isEqualTo(PING);
    assertThat(dead.reason()).isEqualTo(Reasons.UNSUPPORTED_BODY);
    assertThat(dead.envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "amqp-sequence; amqp");
    assertThat(dead.exceptionMessage()).contains("amqp-sequence; amqp");
    assertThat(decodeSection(dead.envelope().body()))
        .isInstanceOfSatisfying(
            AmqpSequence.class, s -> assertThat((List<?>) s.getValue()).isEqualTo(sequence));
    await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 1);
    assertThat(handled).extracting(Envelope::id).containsExactly("good");
    awaitEmpty("decode.sequence");
  }

  @Test
  void aMapValueBodyFromAForeignSenderIsADeadLetterThatKeepsItAmqpEncoded() {
    startBus("decode.value");
    Map<String, Object> value = Map.of("n", 4L, "tags", List.of("a", "b"));
    ServiceBusMessage foreign =
        new ServiceBusMessage(AmqpMessageBody.fromValue(value))
            .setSubject(PING)
            .setMessageId("value-1");
    send("decode.value", foreign);

    DeadLetter dead = awaitDeadLetter();
    assertThat(dead.envelope().id()).isEqualTo("value-1");
    assertThat(dead.envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "amqp-value; amqp");
    assertThat(decodeSection(dead.envelope().body()))
        .isInstanceOfSatisfying(AmqpValue.class, v -> assertThat(v.getValue()).isEqualTo(value));
    assertThat(handled).isEmpty();
    awaitEmpty("decode.value");
  }

  @Test
  void aSequenceBodyInTheNativeDeadLetterQueueIsDrainedWithItsContentKept() throws Exception {
    List<Object> sequence = List.of("one", 2L, List.of(3, "four"));
    send(
        "decode.drain",
        new ServiceBusMessage(AmqpMessageBody.fromSequence(sequence))
            .setSubject(PING)
            .setMessageId("sequence-2"));
    try (ServiceBusReceiverClient receiver =
        Doubles.client(serviceBus)
            .receiver()
            .queueName("decode.drain")
            .disableAutoComplete()
            .buildClient()) {
      while (serviceBus.deadLetters("decode.drain").isEmpty()) {
        for (ServiceBusReceivedMessage m : receiver.receiveMessages(1, Duration.ofSeconds(2))) {
          receiver.deadLetter(m, new DeadLetterOptions().setDeadLetterReason("foreign-format"));
        }
      }
    }
    InMemoryEnvelopeStore store = DeadLetterDrainTest.memoryStore();
    try (DeadLetterDrain drain = DeadLetterDrainTest.drain(serviceBus, store)) {
      assertThat(drain.drain(Address.queue("decode.drain"))).isEqualTo(1);
    }
    DeadLetter dead = store.deadLetters(DeadLetterQuery.all()).get(0);
    assertThat(dead.reason()).isEqualTo("foreign-format");
    assertThat(dead.envelope().id()).isEqualTo("sequence-2");
    assertThat(dead.envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "amqp-sequence; amqp");
    assertThat(decodeSection(dead.envelope().body()))
        .isInstanceOfSatisfying(
            AmqpSequence.class, s -> assertThat((List<?>) s.getValue()).isEqualTo(sequence));
    assertThat(serviceBus.deadLetters("decode.drain")).isEmpty();

    // A replay sends the body back as the sequence it was.
    send(
        "decode.drain",
        ServiceBusWireFormat.toMessage(dead.envelope(), null, null, java.time.Instant.now()));
    MessageSnapshot replayed = serviceBus.entity("decode.drain").messages().get(0);
    assertThat(replayed.bodyValue()).isEqualTo(sequence);
    assertThat(replayed.body()).isNull();
    assertThat(replayed.applicationProperties())
        .doesNotContainKey("ferryh_" + Reasons.ORIGINAL_BODY_KIND_HEADER);
  }

  @Test
  void theWireContentTypeReachesTheEnvelopeUnchanged() {
    startBus("decode.content-type");
    ServiceBusMessage m =
        new ServiceBusMessage("{\"n\":5}")
            .setSubject(PING)
            .setMessageId("typed")
            .setContentType("application/json; charset=utf-8");
    ServiceBusMessage none = new ServiceBusMessage("{\"n\":6}").setSubject(PING);
    send("decode.content-type", m, none);
    await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 2);
    assertThat(handled)
        .extracting(Envelope::contentType)
        .containsExactlyInAnyOrder("application/json; charset=utf-8", null);
  }

  private DeadLetter awaitDeadLetter() {
    await().atMost(Duration.ofSeconds(15)).until(() -> bus.deadLetters().count() == 1);
    return bus.deadLetters().list(10).get(0);
  }

  /** Reads the dead letter's body as the AMQP encoding of a message's body section. */
  private static Object decodeSection(byte[] encoded) {
    Message m = Message.Factory.create();
    m.decode(encoded, 0, encoded.length);
    return m.getBody();
  }

  private static void awaitEmpty(String queue) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceBus.entity(queue).messages().isEmpty());
    assertThat(serviceBus.deadLetters(queue)).isEmpty();
  }

  private static void send(String queue, ServiceBusMessage... messages) {
    Doubles.send(serviceBus, queue, messages);
  }
}
