package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import dev.ferry.testkit.servicebus.MessageState;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The envelope as it travels: sent by the transport's sender, looked at on the double (the native
 * properties docs/wire-format.md promises) and read back through the SDK's receiver.
 */
class ServiceBusWireFormatTest {
  private static ServiceBusTestDouble serviceBus;
  private static ServiceBusTransport transport;

  @BeforeAll
  static void start() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("wire.all")
            .queue("wire.few")
            .queue("wire.retry")
            .queue("wire.long")
            .queue("wire.scheduled")
            .queue("wire.ttl")
            .queue("wire-sessions", EntitySettings.defaults().withRequiresSession(true))
            .topic("wire-events", TopicSettings.defaults().withSubscription("billing"))
            .start();
    transport = Doubles.transport(serviceBus).sessionEntities("queue:wire-sessions").build();
    transport.start(
        new TransportContext(
            "wire-test", "node-1", FerryConfig.of(Map.of()), HostExecutors.bounded()));
  }

  @AfterAll
  static void stop() {
    transport.close();
    Doubles.closeChecked(serviceBus);
  }

  private static Envelope everyField() {
    Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return Envelope.builder()
        .id("order-42-placed")
        .messageType("orders.order-placed.v1")
        .contentType("application/json")
        .correlationId("order-42")
        .causationId("order-42-submitted")
        .replyTo("servicebus:queue:ferry.replies.node-7")
        .replyType("orders.ack.v1")
        .source("orders")
        .sentAt(sent)
        .deliverBy(sent.plus(Duration.ofHours(1)))
        .attempts(0)
        .tenant("acme")
        .traceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .traceState("congo=t61rcWkgMzE")
        .header("customer-id", "c-7")
        .header("ferry-group", "order-42")
        .header("weird name/with:chars", "v")
        .body("{\"orderId\":42}".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static void send(Address to, Envelope... envelopes) throws Exception {
    try (Sender sender = transport.sender(to)) {
      sender.send(List.of(envelopes));
    }
  }

  private static List<ServiceBusReceivedMessage> receive(String queue, int n) {
    try (ServiceBusReceiverClient receiver =
        Doubles.client(serviceBus).receiver().queueName(queue).buildClient()) {
      List<ServiceBusReceivedMessage> got = new ArrayList<>();
      receiver.receiveMessages(n, Duration.ofSeconds(5)).forEach(got::add);
      got.forEach(receiver::complete);
      return got;
    }
  }

  @Test
  void everyFieldHasItsNativePropertyOrCloudEventsProperty() throws Exception {
    Envelope e = everyField();
    send(Address.queue("wire.all"), e);

    MessageSnapshot m = serviceBus.entity("wire.all").messages().get(0);
    assertThat(m.messageId()).isEqualTo("order-42-placed");
    assertThat(m.subject()).isEqualTo("orders.order-placed.v1");
    assertThat(m.contentType()).isEqualTo("application/json");
    assertThat(m.correlationId()).isEqualTo("order-42");
    assertThat(m.sessionId()).isEqualTo("order-42");
    assertThat(m.bodyAsString()).isEqualTo("{\"orderId\":42}");
    assertThat(m.expiresAt()).isCloseTo(e.deliverBy(), within(Duration.ofSeconds(2)));
    assertThat(m.applicationProperties())
        .containsEntry("cloudEvents_specversion", "1.0")
        .containsEntry("cloudEvents_source", "orders")
        .containsEntry("cloudEvents_time", e.sentAt().toString())
        .containsEntry("cloudEvents_causationid", "order-42-submitted")
        .containsEntry("cloudEvents_replytype", "orders.ack.v1")
        .containsEntry("cloudEvents_deliverby", e.deliverBy().toString())
        .containsEntry("cloudEvents_tenant", "acme")
        .containsEntry("traceparent", e.traceParent())
        .containsEntry("tracestate", "congo=t61rcWkgMzE")
        .containsEntry("ferryh_customer-id", "c-7")
        .containsEntry("ferryh_weird name/with:chars", "v")
        .doesNotContainKeys("cloudEvents_id", "cloudEvents_attempts", "cloudEvents_ferrytarget");

    ServiceBusReceivedMessage received = receive("wire.all", 1).get(0);
    assertThat(received.getReplyTo()).isEqualTo("servicebus:queue:ferry.replies.node-7");
    assertThat(ServiceBusDecoder.envelope(InboundMessage.of(received))).isEqualTo(e);
    assertThat(InboundMessage.of(received).deliveryCount()).isEqualTo(1);
  }

  @Test
  void aFewFieldsOnlyAndABatchKeepTheirOrder() throws Exception {
    Envelope a = Envelope.builder().id("a").messageType("t.v1").body(new byte[] {1}).build();
    Envelope b = Envelope.builder().id("b").messageType("t.v1").body(new byte[0]).build();
    send(Address.queue("wire.few"), a, b);
    List<ServiceBusReceivedMessage> got = receive("wire.few", 2);
    assertThat(got).extracting(ServiceBusReceivedMessage::getMessageId).containsExactly("a", "b");
    Envelope readA = ServiceBusDecoder.envelope(InboundMessage.of(got.get(0)));
    assertThat(readA.body()).containsExactly(1);
    assertThat(readA.correlationId()).isNull();
    assertThat(readA.headers()).isEmpty();
    // Without cloudEvents_time the broker's enqueued time stands in for the sent time.
    assertThat(readA.sentAt()).isCloseTo(Instant.now(), within(Duration.ofSeconds(5)));
  }

  @Test
  void aRetryCopyHasItsOwnMessageIdAndCarriesTheEnvelopeIdAndAttempts() throws Exception {
    Envelope retry = everyField().toBuilder().attempts(3).build();
    send(Address.queue("wire.retry"), retry);
    MessageSnapshot m = serviceBus.entity("wire.retry").messages().get(0);
    assertThat(m.messageId()).isEqualTo("order-42-placed~3");
    assertThat(m.applicationProperties())
        .containsEntry("cloudEvents_id", "order-42-placed")
        .containsEntry("cloudEvents_attempts", 3);
    assertThat(ServiceBusDecoder.envelope(InboundMessage.of(receive("wire.retry", 1).get(0))))
        .isEqualTo(retry);
  }

  @Test
  void aVeryLongIdIsHashedIntoTheMessageIdLimit() throws Exception {
    Envelope longId =
        Envelope.builder().id("x".repeat(200)).messageType("t.v1").attempts(1).build();
    send(Address.queue("wire.long"), longId);
    ServiceBusReceivedMessage m = receive("wire.long", 1).get(0);
    assertThat(m.getMessageId()).startsWith("sha256-").hasSizeLessThanOrEqualTo(128);
    assertThat(ServiceBusDecoder.envelope(InboundMessage.of(m)).id()).isEqualTo("x".repeat(200));
  }

  @Test
  void aScheduledEnvelopeIsScheduledNativelyAndCanBeCancelled() throws Exception {
    Instant at = Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
    Envelope e =
        Envelope.builder()
            .id("later")
            .messageType("t.v1")
            .scheduledFor(at)
            .deliverBy(at.plusSeconds(30))
            .build();
    Envelope other = Envelope.builder().id("keep").messageType("t.v1").scheduledFor(at).build();
    send(Address.queue("wire.scheduled"), e, other);
    MessageSnapshot m =
        serviceBus.entity("wire.scheduled").messages().stream()
            .filter(x -> x.messageId().equals("later"))
            .findFirst()
            .orElseThrow();
    assertThat(m.state()).isEqualTo(MessageState.SCHEDULED);
    assertThat(m.scheduledEnqueueTime()).isEqualTo(at);

    assertThat(transport.cancelScheduled(Address.queue("wire.scheduled"), "later")).isEqualTo(1);
    assertThat(serviceBus.operations("cancel-scheduled-message")).hasSize(1);
    assertThat(serviceBus.entity("wire.scheduled").messages())
        .extracting(MessageSnapshot::messageId, MessageSnapshot::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("keep", MessageState.SCHEDULED));
    assertThat(transport.cancelScheduled(Address.queue("wire.scheduled"), "later")).isZero();
  }

  @Test
  void theTimeToLiveOfAScheduledEnvelopeCountsFromItsEnqueueTime() throws Exception {
    Instant at = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
    Instant deliverBy = at.plusSeconds(30);
    send(
        Address.queue("wire.ttl"),
        Envelope.builder()
            .id("ttl")
            .messageType("t.v1")
            .scheduledFor(at)
            .deliverBy(deliverBy)
            .build());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("wire.ttl").activeCount() == 1);
    // Counted from the send instead, it would expire 1.5 s later than the envelope says.
    assertThat(serviceBus.entity("wire.ttl").messages().get(0).expiresAt())
        .isCloseTo(deliverBy, within(Duration.ofMillis(300)));
    receive("wire.ttl", 1);
  }

  @Test
  void aCopyForOneSubscriptionGoesToTheTopicNamingIt() throws Exception {
    send(
        Address.subscription("wire-events", "billing"),
        Envelope.builder().id("to-billing").messageType("t.v1").build());
    MessageSnapshot m = serviceBus.entity("wire-events/subscriptions/billing").messages().get(0);
    assertThat(m.applicationProperties()).containsEntry("cloudEvents_ferrytarget", "billing");
  }

  @Test
  void aSessionEntityGetsTheGroupHeaderOrElseTheCorrelationIdAsSessionId() throws Exception {
    send(
        Address.queue("wire-sessions"),
        Envelope.builder().id("g").messageType("t.v1").header("ferry-group", "grp-1").build(),
        Envelope.builder().id("c").messageType("t.v1").correlationId("conv-9").build());
    assertThat(serviceBus.entity("wire-sessions").messages())
        .extracting(MessageSnapshot::messageId, MessageSnapshot::sessionId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("g", "grp-1"),
            org.assertj.core.groups.Tuple.tuple("c", "conv-9"));
  }

  private static org.assertj.core.data.TemporalUnitOffset within(Duration d) {
    return new org.assertj.core.data.TemporalUnitWithinOffset(d.toMillis(), ChronoUnit.MILLIS);
  }
}
