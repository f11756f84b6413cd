package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.jms.internal.JmsWireFormat;
import dev.ferry.spi.support.WireNames;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TestMessages.Work;
import jakarta.jms.Connection;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages whose body is not one the bus reads (JMS map, stream and object messages) or whose
 * content type its serializer does not read: each becomes a dead letter with its reason that keeps
 * the content, and the listener goes on. Before, a map, stream or object message was acknowledged
 * and dead-lettered with an empty body, and a content type was never looked at.
 */
class JmsForeignBodiesTest {
  private static final String QUEUE = "foreign.work";

  private EmbeddedArtemis broker;
  private MessageBus bus;
  private final Set<Integer> handled = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    broker = ArtemisExtension.start("foreign");
    bus =
        MessageBus.builder()
            .serviceName("foreign")
            .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
            .route(Work.class, "queue:" + QUEUE)
            .handle(
                Work.class,
                (w, ctx) -> {
                  handled.add(w.n());
                  return null;
                })
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      bus.close();
    } finally {
      broker.close();
    }
  }

  @Test
  void mapStreamAndObjectBodiesAreKeptInTheirDeadLetters() throws Exception {
    send(
        s -> {
          MapMessage map = s.createMapMessage();
          map.setString("customer", "c-1");
          map.setInt("quantity", 3);
          map.setBytes("blob", new byte[] {1, 2, 3});
          map.setDouble("ratio", Double.NaN);
          return typed(map, "map");
        },
        s -> {
          StreamMessage stream = s.createStreamMessage();
          stream.writeString("first");
          stream.writeLong(42L);
          stream.writeBoolean(true);
          return typed(stream, "stream");
        },
        s -> typed(s.createObjectMessage(new ArrayList<>(List.of("a", "b"))), "object"),
        s -> typed(s.createTextMessage("{\"n\":7}"), "text"));

    await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(7));
    await().atMost(Duration.ofSeconds(20)).until(() -> bus.deadLetters().list(10).size() == 3);
    Map<String, DeadLetter> dead =
        bus.deadLetters().list(10).stream()
            .collect(Collectors.toMap(d -> d.envelope().id(), d -> d));

    assertThat(dead.values()).allMatch(d -> d.reason().equals(Reasons.UNSUPPORTED_BODY));
    assertThat(dead.get("map").envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "jms-map; json");
    assertThat(text(dead.get("map")))
        .contains("\"customer\":\"c-1\"")
        .contains("\"quantity\":3")
        .contains("\"blob\":{\"base64\":\"AQID\"}")
        .contains("\"ratio\":\"NaN\"");
    assertThat(dead.get("stream").envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "jms-stream; json");
    assertThat(text(dead.get("stream"))).isEqualTo("[\"first\",42,true]");
    assertThat(dead.get("object").envelope().headers())
        .containsEntry(Reasons.ORIGINAL_BODY_KIND_HEADER, "jms-object; java-serialization");
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(dead.get("object").envelope().body()))) {
      assertThat(in.readObject()).isEqualTo(List.of("a", "b"));
    }
    assertThat(handled).containsExactly(7);
  }

  @Test
  void aContentTypeTheSerializerDoesNotReadIsDeadLetteredWithTheBodyAsItCame() throws Exception {
    byte[] xml = "<work n=\"1\"/>".getBytes(StandardCharsets.UTF_8);
    send(
        s -> {
          Message m = typed(s.createTextMessage(new String(xml, StandardCharsets.UTF_8)), "xml");
          m.setStringProperty(WireNames.CONTENT_TYPE, "application/xml");
          return m;
        },
        s -> {
          Message m = typed(s.createTextMessage("{\"n\":2}"), "json-with-charset");
          m.setStringProperty(WireNames.CONTENT_TYPE, "Application/JSON; charset=utf-8");
          return m;
        },
        s -> typed(s.createTextMessage("{\"n\":3}"), "no-content-type"));

    await().atMost(Duration.ofSeconds(20)).until(() -> handled.containsAll(List.of(2, 3)));
    await().atMost(Duration.ofSeconds(20)).until(() -> bus.deadLetters().list(10).size() == 1);
    DeadLetter dead = bus.deadLetters().list(10).get(0);
    assertThat(dead.envelope().id()).isEqualTo("xml");
    assertThat(dead.reason()).isEqualTo(Reasons.UNSUPPORTED_CONTENT_TYPE);
    assertThat(dead.envelope().body()).isEqualTo(xml);
    assertThat(dead.exceptionMessage()).contains("application/xml");
  }

  @Test
  void aProducerCannotForgeTheReadersBodyKind() throws Exception {
    send(
        s ->
            JmsWireFormat.toMessage(
                s,
                Envelope.builder()
                    .id("forged")
                    .messageType("ferry.test.work.v1")
                    .header(Reasons.ORIGINAL_BODY_KIND_HEADER, "jms-map; json")
                    .body("{\"n\":9}".getBytes(StandardCharsets.UTF_8))
                    .build(),
                false,
                null));
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(9));
    assertThat(bus.deadLetters().list(10)).isEmpty();
  }

  private interface MessageMaker {
    Message make(Session s) throws Exception;
  }

  private static Message typed(Message m, String id) throws Exception {
    m.setStringProperty(WireNames.ID, id);
    m.setStringProperty(WireNames.TYPE, "ferry.test.work.v1");
    return m;
  }

  private static String text(DeadLetter d) {
    return new String(d.envelope().body(), StandardCharsets.UTF_8);
  }

  private void send(MessageMaker... makers) throws Exception {
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(QUEUE));
      for (MessageMaker m : makers) {
        p.send(m.make(s));
      }
    }
  }
}
