package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the double makes itself, for clients that do not check first as the SDK does. */
class ServerSideLimitsTest {

  private static ServiceBusTestDouble bus;

  @BeforeAll
  static void start() {
    bus =
        ServiceBusTestDouble.builder()
            .queue("limited")
            .queue("garbage")
            .queue("sessions", EntitySettings.defaults().withRequiresSession(true))
            .maxMessageSize(16 * 1024)
            .start();
  }

  @AfterAll
  static void stop() {
    Sdk.closeChecked(bus);
  }

  @Test
  void aTransferOverMaxMessageSizeIsRejectedWithMessageSizeExceeded() {
    RawAmqpClient.Result result = RawAmqpClient.send(bus.port(), "limited", message(20 * 1024));
    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected ->
                assertThat(rejected.getError().getCondition().toString())
                    .isEqualTo("amqp:link:message-size-exceeded"));
    assertThat(bus.entity("limited").messages()).isEmpty();

    assertThat(RawAmqpClient.send(bus.port(), "limited", message(1024)).outcome())
        .isInstanceOf(Accepted.class);
  }

  @Test
  void aMessageWithoutSessionIdIsRejectedByASessionQueue() {
    RawAmqpClient.Result result = RawAmqpClient.send(bus.port(), "sessions", message(10));
    assertThat(result.outcome()).isInstanceOf(Rejected.class);
    assertThat(bus.entity("sessions").messages()).isEmpty();
  }

  @Test
  void sendingToASubQueueIsRefusedOnAttach() {
    RawAmqpClient.Result result =
        RawAmqpClient.send(bus.port(), "limited/$deadletterqueue", message(10));
    assertThat(result.linkError().getCondition().toString()).isEqualTo("amqp:not-allowed");
  }

  @Test
  void aTransferThatIsNoAmqpMessageIsRejectedAndTheDoubleCarriesOn() {
    RawAmqpClient.Result result =
        RawAmqpClient.send(bus.port(), "garbage", new byte[] {0x00, 0x53, 0x75, (byte) 0xff});
    assertThat(result.outcome())
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected ->
                assertThat(rejected.getError().getCondition().toString())
                    .isEqualTo("amqp:decode-error"));
    assertThat(RawAmqpClient.send(bus.port(), "garbage", message(10)).outcome())
        .isInstanceOf(Accepted.class);
  }

  private static Message message(int size) {
    Message message = Proton.message();
    message.setBody(new Data(new Binary(new byte[size])));
    return message;
  }
}
