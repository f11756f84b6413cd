package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Foreign producers that follow docs/wire-format.md, written without any Ferry code: a plain JMS
 * (CORE) producer and a Qpid JMS (AMQP 1.0) producer on the same broker.
 */
class JmsWireFormatInteropTest {
  private static EmbeddedArtemis broker;
  private MessageBus bus;
  private final List<Envelope> received = new CopyOnWriteArrayList<>();
  private final List<Ping> pings = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = ArtemisExtension.start("interop");
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
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
            .serviceName("interop")
            .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
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

  // tag::foreign-producer[]
  /** What a producer in any language does: body as bytes, the attributes as properties. */
  static void writeDocumentedProperties(jakarta.jms.Message m) throws Exception {
    m.setStringProperty("cloudEvents_specversion", "1.0");
    m.setStringProperty("cloudEvents_id", "order-42-ping");
    m.setStringProperty("cloudEvents_type", "ferry.test.ping.v1");
    m.setStringProperty("cloudEvents_source", "legacy-system");
    m.setStringProperty("cloudEvents_time", "2026-11-21T10:15:30Z");
    m.setStringProperty("cloudEvents_datacontenttype", "application/json");
    m.setStringProperty("cloudEvents_correlationid", "order-42");
    m.setStringProperty("ferryh_customer_002did", "c-7"); // user header "customer-id"
  }

  // end::foreign-producer[]

  /** Builds the messages a foreign producer sends, in its session. */
  @FunctionalInterface
  interface Messages {
    List<Message> create(Session s) throws Exception;
  }

  /** Sends as a plain JMS client of the given factory: no Ferry code involved. */
  private static void sendForeign(ConnectionFactory cf, String queue, Messages messages)
      throws Exception {
    try (Connection c = cf.createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      for (Message m : messages.create(s)) {
        p.send(m);
      }
    }
  }

  private static List<Message> documentedBytesMessage(Session s) throws Exception {
    BytesMessage m = s.createBytesMessage();
    m.writeBytes("{\"n\":42}".getBytes(StandardCharsets.UTF_8));
    writeDocumentedProperties(m);
    return List.of(m);
  }

  private static TextMessage pingText(Session s, int n, String property, String value)
      throws Exception {
    TextMessage m = s.createTextMessage("{\"n\":" + n + "}");
    m.setStringProperty("cloudEvents_type", "ferry.test.ping.v1");
    if (property != null) {
      m.setStringProperty(property, value);
    }
    return m;
  }

  @Test
  void plainJmsProducerFollowingTheDocumentIsUnderstood() throws Exception {
    startBus("interop.core");
    sendForeign(
        new ActiveMQConnectionFactory(broker.tcpUrl()),
        "interop.core",
        JmsWireFormatInteropTest::documentedBytesMessage);
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertUnderstood();
  }

  @Test
  void qpidAmqpProducerIsUnderstood() throws Exception {
    startBus("interop.amqp");
    sendForeign(
        new JmsConnectionFactory(broker.amqpUrl()),
        "interop.amqp",
        JmsWireFormatInteropTest::documentedBytesMessage);
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertUnderstood();
  }

  @Test
  void textMessageWithOnlyJmsHeadersIsUnderstood() throws Exception {
    startBus("interop.text");
    sendForeign(
        new ActiveMQConnectionFactory(broker.tcpUrl()),
        "interop.text",
        s -> {
          TextMessage m = s.createTextMessage("{\"n\":7}");
          m.setJMSType("ferry.test.ping.v1");
          m.setJMSCorrelationID("conv-7");
          return List.of(m);
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
    assertThat(pings).containsExactly(new Ping(7));
    assertThat(received.get(0).correlationId()).isEqualTo("conv-7");
    assertThat(received.get(0).id()).startsWith("ID:");
  }

  @Test
  void garbledHeadersAreDeadLetteredWithTheReasonAndTheListenerGoesOn() throws Exception {
    startBus("interop.garbled");
    sendForeign(
        new ActiveMQConnectionFactory(broker.tcpUrl()),
        "interop.garbled",
        s ->
            List.of(
                pingText(s, 1, "cloudEvents_deliverby", "tomorrow, probably"),
                pingText(s, 2, "cloudEvents_attempts", "three"),
                pingText(s, 3, null, null)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bus.deadLetters().count() == 2 && pings.size() == 1);
    assertThat(pings).containsExactly(new Ping(3));
    assertThat(bus.deadLetters().list(10))
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo("malformed-headers"))
        .anySatisfy(d -> assertThat(d.exceptionMessage()).contains("cloudEvents_deliverby"))
        .anySatisfy(d -> assertThat(d.exceptionMessage()).contains("cloudEvents_attempts"));
  }

  /**
   * A producer that disabled message ids and sets no {@code cloudEvents_id}: each message gets its
   * own id, so none is taken for a duplicate of another; garbled ones without an id each get their
   * own dead letter.
   */
  @Test
  void messagesWithoutAnyIdAreEachHandledAndEachGarbledOneKept() throws Exception {
    startBus("interop.no-id");
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue("interop.no-id"));
      p.setDisableMessageID(true);
      p.send(pingText(s, 1, null, null));
      p.send(pingText(s, 2, null, null));
      p.send(pingText(s, 3, null, null));
      p.send(pingText(s, 4, "cloudEvents_attempts", "four"));
      p.send(pingText(s, 5, "cloudEvents_attempts", "five"));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> pings.size() == 3 && bus.deadLetters().count() == 2);
    assertThat(pings).containsExactlyInAnyOrder(new Ping(1), new Ping(2), new Ping(3));
    assertThat(received).extracting(Envelope::id).doesNotHaveDuplicates();
    assertThat(bus.metrics().duplicates()).isZero();
    assertThat(bus.deadLetters().list(10))
        .extracting(d -> d.envelope().id())
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).isNotEqualTo("null"));
  }

  private void assertUnderstood() {
    assertThat(pings).containsExactly(new Ping(42));
    Envelope e = received.get(0);
    assertThat(e.id()).isEqualTo("order-42-ping");
    assertThat(e.source()).isEqualTo("legacy-system");
    assertThat(e.correlationId()).isEqualTo("order-42");
    assertThat(e.headers()).containsEntry("customer-id", "c-7");
    assertThat(e.sentAt()).hasToString("2026-11-21T10:15:30Z");
  }
}
