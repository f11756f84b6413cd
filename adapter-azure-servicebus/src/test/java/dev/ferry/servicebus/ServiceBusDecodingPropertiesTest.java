package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.Address;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.servicebus.internal.ServiceBusWireFormat;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.support.Settlements;
import dev.ferry.spi.support.WireNames;
import dev.ferry.testkit.conformance.PipelineCapture;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/**
 * Envelope decoding on Service Bus, for any input: messages sent with the real SDK through the AMQP
 * test double, with any value of any application property (Ferry's and others, of the AMQP types
 * the SDK carries) and of the native fields, and any body bytes, received with the SDK, read as the
 * listener reads them and handed to a real bus's pipeline, give a handled message or a dead letter
 * with a reason of {@link Reasons}: never an exception, never a redelivery.
 */
class ServiceBusDecodingPropertiesTest {
  private static final String QUEUE = "ferry.test.work.v1";
  private static ServiceBusTestDouble serviceBus;
  private static ServiceBusSenderClient sender;
  private static ServiceBusReceiverClient receiver;
  private static MessageBus bus;
  private static final PipelineCapture capture = new PipelineCapture("servicebus");

  private static final List<String> PROPERTIES =
      List.of(
          "cloudEvents_specversion",
          "cloudEvents_source",
          "cloudEvents_time",
          "cloudEvents_causationid",
          "cloudEvents_replytype",
          "cloudEvents_deliverby",
          "cloudEvents_tenant",
          "cloudEvents_attempts",
          "cloudEvents_id",
          WireNames.ATTEMPTS,
          ServiceBusWireFormat.DELIVERY_BASE,
          "cloudEvents_ferrytarget",
          "traceparent",
          "tracestate",
          "ferryh_customer-id",
          "someOtherProperty");

  @BeforeContainer
  static void start() {
    serviceBus = ServiceBusTestDouble.builder().queue(QUEUE).start();
    ServiceBusClientBuilder clients = Doubles.client(serviceBus);
    sender = clients.sender().queueName(QUEUE).buildClient();
    receiver = clients.receiver().queueName(QUEUE).buildClient();
    bus =
        MessageBus.builder()
            .serviceName("properties")
            .transport(capture)
            .route(Work.class, "queue:" + QUEUE)
            .handle(Work.class, (w, ctx) -> null)
            .build();
  }

  @AfterContainer
  static void stop() {
    bus.close();
    receiver.close();
    sender.close();
    Doubles.closeChecked(serviceBus);
  }

  @Provide
  Arbitrary<Object> values() {
    Arbitrary<String> wireLike =
        Arbitraries.of(
            "ferry.test.work.v1",
            "1.0",
            "2026-11-21T10:15:30Z",
            "+300000-01-01T00:00:00Z",
            "servicebus:queue:replies",
            "3",
            "-1",
            "",
            "\0",
            "x".repeat(3000));
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        wireLike.map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.create(UUID::randomUUID).map(u -> (Object) u));
  }

  @Provide
  Arbitrary<Map<String, Object>> properties() {
    return Arbitraries.maps(Arbitraries.of(PROPERTIES), values()).ofMaxSize(6);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
        Arbitraries.integers().map(n -> ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.of("ferry.test.work.v1", "application/json", "text/plain", "\0"));
  }

  private static DeliveryHandler pipeline() {
    return capture.pipeline(QUEUE);
  }

  @Property(tries = 3000)
  @StatisticsReport(onFailureOnly = false)
  void anyMessageIsHandledOrDeadLetteredWithAReason(
      @ForAll("properties") Map<String, Object> properties,
      @ForAll("bodies") byte[] body,
      @ForAll("texts") String subject,
      @ForAll("texts") String contentType,
      @ForAll("texts") String correlationId,
      @ForAll boolean wellFormed) {
    ServiceBusMessage m =
        new ServiceBusMessage(
            wellFormed
                ? BinaryData.fromString("{\"n\":" + body.length + "}")
                : BinaryData.fromBytes(body));
    m.setMessageId(UUID.randomUUID().toString());
    if (wellFormed) {
      m.setSubject("ferry.test.work.v1");
      m.setContentType("application/json");
    } else {
      m.setSubject(subject.isEmpty() ? null : subject);
      m.setContentType(contentType.isEmpty() ? null : contentType);
      m.setCorrelationId(correlationId.isEmpty() ? null : correlationId);
    }
    if (!wellFormed || body.length % 3 == 0) {
      m.getApplicationProperties().putAll(properties);
    }
    Delivery delivery = decoded(sentAndReceived(m));
    List<Decision> decisions = Settlements.decide(pipeline(), List.of(delivery));
    assertThat(decisions).hasSize(1);
    Decision d = decisions.get(0);
    assertThat(d.acknowledges()).as("settled for good: %s from %s", d, properties).isTrue();
    if (d instanceof Decision.DeadLetter dl) {
      assertThat(PipelineCapture.DEAD_LETTER_REASONS).contains(dl.reason());
    }
    Statistics.label("decision").collect(d.getClass().getSimpleName());
    Statistics.label("decision")
        .coverage(
            c -> {
              c.check("Complete").percentage(p -> p > 10);
              c.check("DeadLetter").percentage(p -> p > 10);
            });
  }

  /** Sends {@code m} through the double and receives (and completes) it with the SDK. */
  private static ServiceBusReceivedMessage sentAndReceived(ServiceBusMessage m) {
    sender.sendMessage(m);
    ServiceBusReceivedMessage received = null;
    for (int i = 0; i < 5 && received == null; i++) {
      for (ServiceBusReceivedMessage r : receiver.receiveMessages(1, Duration.ofSeconds(5))) {
        received = r;
        receiver.complete(r);
      }
    }
    assertThat(received).as("received").isNotNull();
    return received;
  }

  /** The delivery the listener's decoder makes of {@code received}. */
  private static Delivery decoded(ServiceBusReceivedMessage received) {
    return new ServiceBusDecoder(Address.parse("servicebus:queue:" + QUEUE), Integer.MAX_VALUE)
        .decode(InboundMessage.of(received));
  }

  /** AMQP values as foreign senders put them in a body: scalars, lists and maps of them. */
  @Provide
  Arbitrary<Object> amqpValues() {
    Arbitrary<Object> scalars =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(20).map(v -> (Object) v),
            Arbitraries.longs().map(v -> (Object) v),
            Arbitraries.integers().map(v -> (Object) v),
            Arbitraries.doubles().map(v -> (Object) v),
            Arbitraries.of(true, false).map(v -> (Object) v));
    Arbitrary<Object> lists = scalars.list().ofMaxSize(5).map(v -> (Object) v);
    Arbitrary<Object> maps =
        Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), scalars)
            .ofMaxSize(4)
            .map(v -> (Object) v);
    return Arbitraries.oneOf(scalars, lists, maps);
  }

  @Property(tries = 500)
  void anyAmqpValueOrSequenceBodyIsReadOrKeptWhole(
      @ForAll("amqpValues") Object value, @ForAll boolean asSequence) {
    List<Object> sequence = value instanceof List<?> l ? List.copyOf(l) : List.of(value);
    ServiceBusMessage m =
        new ServiceBusMessage(
            asSequence ? AmqpMessageBody.fromSequence(sequence) : AmqpMessageBody.fromValue(value));
    m.setMessageId(UUID.randomUUID().toString());
    m.setSubject("ferry.test.work.v1");
    ServiceBusReceivedMessage received = sentAndReceived(m);
    Delivery delivery = decoded(received);
    byte[] body = delivery.envelope().body();
    if (!asSequence && value instanceof String text) {
      assertThat(delivery.malformed()).isNull();
      assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(text);
    } else {
      // Not a body Ferry reads: dead-lettered, never handled, with the section kept whole.
      assertThat(delivery.malformed()).isNull();
      assertThat(delivery.envelope().headers())
          .containsEntry(
              Reasons.ORIGINAL_BODY_KIND_HEADER,
              asSequence ? ServiceBusDecoder.AMQP_SEQUENCE : ServiceBusDecoder.AMQP_VALUE);
      Message section = Message.Factory.create();
      section.decode(body, 0, body.length);
      AmqpMessageBody got = received.getRawAmqpMessage().getBody();
      if (asSequence) {
        assertThat((List<?>) ((AmqpSequence) section.getBody()).getValue())
            .isEqualTo(got.getSequence());
      } else {
        assertThat(((AmqpValue) section.getBody()).getValue()).isEqualTo(got.getValue());
      }
    }
    List<Decision> decisions = Settlements.decide(pipeline(), List.of(delivery));
    assertThat(decisions.get(0).acknowledges()).isTrue();
    if (asSequence || !(value instanceof String)) {
      assertThat(decisions.get(0))
          .isInstanceOfSatisfying(
              Decision.DeadLetter.class,
              d -> assertThat(d.reason()).isEqualTo(Reasons.UNSUPPORTED_BODY));
    }
    Statistics.label("body").collect(asSequence ? "sequence" : value.getClass().getSimpleName());
  }
}
