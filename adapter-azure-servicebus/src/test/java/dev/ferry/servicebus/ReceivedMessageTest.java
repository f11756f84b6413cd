package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.Reasons;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.spi.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A message a host received, given by its fields, reads as Ferry's own listener reads it. */
class ReceivedMessageTest {

  @Test
  void readsTheEnvelopeFromNativeFieldsAndPropertiesThatWentThroughJson() {
    Map<String, Object> p = new HashMap<>();
    p.put("cloudEvents_specversion", "1.0");
    p.put("cloudEvents_source", "shop");
    p.put("cloudEvents_time", "2026-11-21T06:59:59.500Z");
    p.put("cloudEvents_attempts", 2.0); // a JSON number
    p.put("cloudEvents_tenant", "acme");
    p.put("ferryh_region", "eu");
    Instant enqueued = Instant.parse("2026-11-21T07:00:00Z");
    ReceivedMessage m =
        new ReceivedMessage(
            "{}".getBytes(StandardCharsets.UTF_8),
            "m-1",
            3,
            "order-placed",
            "application/json",
            "c-1",
            "replies",
            "s-1",
            p,
            enqueued,
            42);

    Envelope e = m.envelope();
    assertThat(e.id()).isEqualTo("m-1");
    assertThat(e.messageType()).isEqualTo("order-placed");
    assertThat(e.correlationId()).isEqualTo("c-1");
    assertThat(e.replyTo()).isEqualTo("replies");
    assertThat(e.source()).isEqualTo("shop");
    assertThat(e.sentAt()).isEqualTo(Instant.parse("2026-11-21T06:59:59.500Z"));
    assertThat(e.attempts()).isEqualTo(2);
    assertThat(e.tenant()).isEqualTo("acme");
    assertThat(e.headers()).containsEntry("region", "eu").containsEntry("ferry-group", "s-1");
    assertThat(decode(m).deliveryCount()).isEqualTo(3);
    assertThat(ServiceBusDecoder.target(m.applicationProperties())).isNull();
  }

  @Test
  void aRetryCopyCarriesItsIdAndCountsDeliveriesFromItsLastAbandon() {
    Map<String, Object> p = new HashMap<>();
    p.put("cloudEvents_id", "m-1");
    p.put("cloudEvents_ferrydeliverybase", 2.0);
    p.put("cloudEvents_ferrytarget", "billing");
    ReceivedMessage m =
        new ReceivedMessage(null, "m-1~1", 5, "t", null, null, null, null, p, null, 0);
    assertThat(m.envelope().id()).isEqualTo("m-1");
    assertThat(decode(m).deliveryCount()).isEqualTo(3);
    assertThat(ServiceBusDecoder.target(m.applicationProperties())).isEqualTo("billing");
  }

  @Test
  void aFractionalAttemptCountIsMalformedAndTheBestEffortKeepsIdTypeAndBody() {
    ReceivedMessage m =
        new ReceivedMessage(
            "x".getBytes(StandardCharsets.UTF_8),
            null,
            1,
            "t",
            null,
            null,
            null,
            null,
            Map.of("cloudEvents_attempts", 1.5),
            null,
            7);
    assertThatThrownBy(m::envelope)
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("cloudEvents_attempts");
    Delivery delivery = decode(m);
    assertThat(delivery.malformed()).contains("cloudEvents_attempts");
    Envelope best = delivery.envelope();
    assertThat(best.id()).isEqualTo("servicebus-sequence-7");
    assertThat(best.messageType()).isEqualTo("t");
    assertThat(new String(best.body(), StandardCharsets.UTF_8)).isEqualTo("x");
  }

  @Test
  void aProducerCannotForgeWhatOnlyTheReaderWrites() {
    Map<String, Object> p = new HashMap<>();
    p.put("ferryh_" + Reasons.ORIGINAL_BODY_KIND_HEADER, "amqp-sequence; amqp");
    p.put("ferryh_" + Reasons.ORIGINAL_SIZE_HEADER, "999999999");
    p.put("ferryh_region", "eu");
    ReceivedMessage m =
        new ReceivedMessage(
            "{}".getBytes(StandardCharsets.UTF_8),
            "m-forged",
            1,
            "order-placed",
            "application/json",
            null,
            null,
            null,
            p,
            Instant.parse("2026-11-21T07:00:00Z"),
            43);
    assertThat(decode(m).envelope().headers()).containsOnlyKeys("region");
  }

  private static Delivery decode(ReceivedMessage m) {
    return new ServiceBusDecoder(Address.parse("servicebus:queue:q"), Integer.MAX_VALUE)
        .decode(InboundMessage.of(m));
  }
}
