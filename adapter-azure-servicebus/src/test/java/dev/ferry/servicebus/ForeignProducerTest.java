package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.messaging.servicebus.ServiceBusMessage;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Producers written with the plain Azure SDK, without any Ferry code, that follow (or only partly
 * follow) docs/wire-format.md.
 */
class ForeignProducerTest {
  private static ServiceBusTestDouble serviceBus;
  private MessageBus bus;
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private final List<Ping> pings = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startDouble() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("foreign.documented")
            .queue("foreign.minimal")
            .queue("foreign.garbled")
            .queue("foreign.value")
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
            .serviceName("foreign")
            .transport(Doubles.transport(serviceBus).build())
            .route(Ping.class, "queue:" + queue)
            .handle(
                Ping.class,
                (p, ctx) -> {
                  received.add(ctx.envelope());
                  pings.add(p);
                  return null;
                })
            .build();
  }

  private static void send(String queue, ServiceBusMessage... messages) {
    Doubles.send(serviceBus, queue, messages);
  }

  // tag::foreign-producer[]
  /** What a producer in any language does: native properties, the rest as properties. */
  static ServiceBusMessage documentedMessage() {
    ServiceBusMessage m = new ServiceBusMessage("{\"n\":42}");
    m.setMessageId("order-42-ping");
    m.setSubject("ferry.test.ping.v1"); // the message type
    m.setContentType("application/json");
    m.setCorrelationId("order-42");
    m.getApplicationProperties().put("cloudEvents_source", "legacy-system");
    m.getApplicationProperties().put("cloudEvents_time", "2026-11-21T10:15:30Z");
    m.getApplicationProperties().put("ferryh_customer-id", "c-7"); // user header "customer-id"
    return m;
  }

  // end::foreign-producer[]

  @Test
  void aProducerFollowingTheDocumentIsUnderstood() {
    startBus("foreign.documented");
    send("foreign.documented", documentedMessage());
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(pings).containsExactly(new Ping(42));
    Envelope e = received.get(0);
    assertThat(e.id()).isEqualTo("order-42-ping");
    assertThat(e.source()).isEqualTo("legacy-system");
    assertThat(e.correlationId()).isEqualTo("order-42");
    assertThat(e.headers()).containsEntry("customer-id", "c-7");
    assertThat(e.sentAt()).hasToString("2026-11-21T10:15:30Z");
  }

  @Test
  void onlyASubjectAndABodyAreEnough() {
    startBus("foreign.minimal");
    ServiceBusMessage m = new ServiceBusMessage("{\"n\":7}");
    m.setSubject("ferry.test.ping.v1");
    m.setMessageId("minimal-7");
    m.setSessionId("s-1");
    Instant before = Instant.now().minusSeconds(1);
    send("foreign.minimal", m);
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(pings).containsExactly(new Ping(7));
    Envelope e = received.get(0);
    assertThat(e.id()).isEqualTo("minimal-7");
    assertThat(e.contentType()).isNull();
    assertThat(e.attempts()).isZero();
    // The broker's enqueued time stands in for the sent time; the session id for the group.
    assertThat(e.sentAt()).isAfter(before);
    assertThat(e.headers()).containsEntry("ferry-group", "s-1");
  }

  @Test
  void aStringValueBodyFromAnotherAmqpClientIsReadAsUtf8() {
    startBus("foreign.value");
    ServiceBusMessage m = new ServiceBusMessage(AmqpMessageBody.fromValue("{\"n\":9}"));
    m.setSubject("ferry.test.ping.v1");
    send("foreign.value", m);
    await().atMost(Duration.ofSeconds(10)).until(() -> !pings.isEmpty());
    assertThat(pings).containsExactly(new Ping(9));
  }

  @Test
  void garbledPropertiesAreDeadLetteredWithTheReasonAndTheListenerGoesOn() {
    startBus("foreign.garbled");
    ServiceBusMessage badTime = new ServiceBusMessage("{\"n\":1}").setSubject("ferry.test.ping.v1");
    badTime.getApplicationProperties().put("cloudEvents_deliverby", "tomorrow, probably");
    ServiceBusMessage badAttempts =
        new ServiceBusMessage("{\"n\":2}").setSubject("ferry.test.ping.v1");
    badAttempts.getApplicationProperties().put("cloudEvents_attempts", "three");
    ServiceBusMessage badHeader =
        new ServiceBusMessage("{\"n\":3}").setSubject("ferry.test.ping.v1");
    badHeader.getApplicationProperties().put("ferryh_when", java.time.OffsetDateTime.now());
    ServiceBusMessage good = new ServiceBusMessage("{\"n\":4}").setSubject("ferry.test.ping.v1");
    send("foreign.garbled", badTime, badAttempts, badHeader, good);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bus.deadLetters().count() == 3 && pings.size() == 1);
    assertThat(pings).containsExactly(new Ping(4));
    List<DeadLetter> dead = bus.deadLetters().list(10);
    assertThat(dead)
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo("malformed-headers"))
        .allSatisfy(d -> assertThat(d.envelope().messageType()).isEqualTo("ferry.test.ping.v1"))
        .anySatisfy(d -> assertThat(d.exceptionMessage()).contains("cloudEvents_deliverby"))
        .anySatisfy(d -> assertThat(d.exceptionMessage()).contains("cloudEvents_attempts"))
        .anySatisfy(d -> assertThat(d.exceptionMessage()).contains("ferryh_when", "not text"));
    assertThat(dead).extracting(d -> new String(d.envelope().body())).contains("{\"n\":2}");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("foreign.garbled").messages().isEmpty());
  }
}
