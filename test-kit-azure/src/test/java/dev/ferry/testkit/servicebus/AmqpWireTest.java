package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

/** Encodings the SDK depends on, pinned without a network round trip. */
class AmqpWireTest {

  /** Wire fact: the delivery tag is the lock token in .NET GUID byte order. */
  @Test
  void lockTokensUseDotNetGuidByteOrder() {
    UUID token = UUID.fromString("00112233-4455-6677-8899-aabbccddeeff");
    assertThat(HexFormat.of().formatHex(AmqpWire.deliveryTag(token)))
        .isEqualTo("33221100554477668899aabbccddeeff");
    assertThat(AmqpWire.lockToken(AmqpWire.deliveryTag(token))).isEqualTo(token);
    assertThat(AmqpWire.lockToken(new byte[] {1, 2, 3})).isNull();
  }

  /** Wire fact: com.microsoft:locked-until-utc is .NET ticks (100 ns since 0001-01-01). */
  @Test
  void sessionLockExpiryIsDotNetTicks() {
    assertThat(AmqpWire.dotNetTicks(Instant.parse("1970-01-01T00:00:00Z")))
        .isEqualTo(621_355_968_000_000_000L);
    assertThat(AmqpWire.dotNetTicks(Instant.parse("2020-01-01T00:00:00.0000001Z")))
        .isEqualTo(637_134_336_000_000_001L);
  }

  /**
   * Wire fact: management responses carry Long[] (proton-j 0.34.1 cannot encode a primitive long[]
   * inside a map), and the SDK, which tests {@code instanceof long[]}, gets a long[] back.
   */
  @Test
  void objectArraysInManagementMapsDecodeAsTheSdkExpects() {
    Map<String, Object> body = new HashMap<>();
    body.put("sequence-numbers", new Long[] {1L, 2L});
    body.put("expirations", new Date[] {new Date(0)});
    Message response = Proton.message();
    response.setBody(new AmqpValue(body));

    Map<?, ?> decoded =
        (Map<?, ?>) ((AmqpValue) AmqpWire.decode(AmqpWire.encode(response)).getBody()).getValue();
    assertThat(decoded.get("sequence-numbers")).isInstanceOf(long[].class);
    assertThat((long[]) decoded.get("sequence-numbers")).containsExactly(1L, 2L);
    assertThat(decoded.get("expirations")).isInstanceOf(Date[].class);
    assertThat(AmqpWire.longs(decoded.get("sequence-numbers"))).containsExactly(1L, 2L);
  }

  @Test
  void aBatchPayloadIsOneDataSectionPerMessage() {
    Message envelope = Proton.message();
    envelope.setMessageId("first");
    byte[] payload = AmqpWire.encode(envelope);
    for (String body : List.of("one", "two")) {
      Message inner = Proton.message();
      inner.setMessageId(body);
      inner.setBody(new Data(new Binary(body.getBytes())));
      Message section = Proton.message();
      section.setBody(new Data(new Binary(AmqpWire.encode(inner))));
      payload = concat(payload, AmqpWire.encode(section));
    }
    assertThat(AmqpWire.unpackBatch(payload))
        .extracting(Message::getMessageId)
        .containsExactly("one", "two");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = new byte[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
