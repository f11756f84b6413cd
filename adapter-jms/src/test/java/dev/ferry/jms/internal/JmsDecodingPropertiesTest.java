package dev.ferry.jms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.Address;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.support.Settlements;
import dev.ferry.spi.support.WireNames;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.PipelineCapture;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Envelope decoding on JMS, for any input: real Artemis messages with any value of any property
 * (Ferry's own and others, of every JMS property type, any text including NUL characters and
 * unpaired surrogates) and any body bytes, read as the listener reads them and handed to a real
 * bus's pipeline, give a handled message or a dead letter with a reason of {@link Reasons}: never
 * an exception, never a redelivery (which would loop).
 */
class JmsDecodingPropertiesTest {
  private static EmbeddedArtemis broker;
  private static Connection connection;
  private static Session session;
  private static MessageBus bus;
  private static final PipelineCapture capture = new PipelineCapture("jms");
  private static final AtomicInteger handled = new AtomicInteger();
  private static final Address SOURCE = Address.parse("jms:queue:ferry.test.ping.v1");

  private static final List<String> PROPERTIES =
      List.of(
          WireNames.ID,
          WireNames.TYPE,
          WireNames.SOURCE,
          WireNames.TIME,
          WireNames.CONTENT_TYPE,
          WireNames.CORRELATION_ID,
          WireNames.CAUSATION_ID,
          WireNames.REPLY_TO,
          WireNames.REPLY_TYPE,
          WireNames.DELIVER_BY,
          WireNames.SCHEDULED_FOR,
          WireNames.ATTEMPTS,
          WireNames.TENANT,
          WireNames.TRACE_PARENT,
          WireNames.TRACE_STATE,
          WireNames.TARGET,
          WireNames.HEADER_PREFIX + "customer_002did",
          WireNames.HEADER_PREFIX + "x",
          "someOtherProperty");

  @BeforeContainer
  static void start() throws Exception {
    broker = ArtemisExtension.start("properties");
    connection = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection();
    session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    bus =
        MessageBus.builder()
            .serviceName("properties")
            .transport(capture)
            .route(Ping.class, "queue:ferry.test.ping.v1")
            .handle(
                Ping.class,
                (p, ctx) -> {
                  handled.incrementAndGet();
                  return null;
                })
            .build();
  }

  @AfterContainer
  static void stop() throws Exception {
    bus.close();
    connection.close();
    broker.close();
  }

  /** A property value of any JMS type; texts of any characters, NUL and lone surrogates too. */
  @Provide
  Arbitrary<Object> values() {
    Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<String> wireLike =
        Arbitraries.of(
            "ferry.test.ping.v1",
            "1.0",
            "2026-11-21T10:15:30Z",
            "+300000-01-01T00:00:00Z",
            "-999999999-01-01T00:00:00Z",
            "jms:queue:replies",
            "servicebus:queue:x",
            "application/json",
            "text/plain",
            "3",
            "-1",
            "99999999999",
            "",
            "\0",
            "\uD800");
    return Arbitraries.oneOf(
        anyText.map(s -> (Object) s),
        wireLike.map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.bytes().map(b -> (Object) b),
        Arbitraries.shorts().map(s -> (Object) s),
        Arbitraries.floats().map(f -> (Object) f));
  }

  @Provide
  Arbitrary<Map<String, Object>> properties() {
    return Arbitraries.maps(Arbitraries.of(PROPERTIES), values()).ofMaxSize(8);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> json =
        Combinators.combine(Arbitraries.integers(), Arbitraries.strings().ofMaxLength(5))
            .as((n, tail) -> ("{\"n\":" + n + "}" + tail).getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, json, Arbitraries.just(new byte[0]));
  }

  /** The pipeline of the endpoint where Ping is handled. */
  private static DeliveryHandler pipeline() {
    return capture.pipeline("ferry.test.ping.v1");
  }

  @Property(tries = 3000)
  @StatisticsReport(onFailureOnly = false)
  void anyMessageIsHandledOrDeadLetteredWithAReason(
      @ForAll("properties") Map<String, Object> properties,
      @ForAll("bodies") byte[] body,
      @ForAll boolean text,
      @ForAll boolean wellFormed,
      @ForAll int n)
      throws Exception {
    Message m;
    if (text) {
      m = session.createTextMessage(new String(body, StandardCharsets.UTF_8));
    } else {
      BytesMessage b = session.createBytesMessage();
      b.writeBytes(body);
      m = b;
    }
    if (wellFormed) {
      // Half of the cases start as a message a Ferry sender would write, then get garbled.
      m =
          text
              ? session.createTextMessage("{\"n\":" + n + "}")
              : bytes(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
      m.setStringProperty(WireNames.ID, UUID.randomUUID().toString());
      m.setStringProperty(WireNames.TYPE, "ferry.test.ping.v1");
    }
    for (Map.Entry<String, Object> p : properties.entrySet()) {
      if (!wellFormed || p.getKey().equals("someOtherProperty") || n % 3 == 0) {
        m.setObjectProperty(p.getKey(), p.getValue());
      }
    }
    // As the listener reads a received message (the body made readable, as on receive).
    if (m instanceof BytesMessage b) {
      b.reset();
    }
    Delivery delivery = JmsListener.read(m, SOURCE, "jms");
    DeliveryHandler pipeline = pipeline();
    List<Decision> decisions = Settlements.decide(pipeline, List.of(delivery));
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

  private static BytesMessage bytes(byte[] body) throws Exception {
    BytesMessage b = session.createBytesMessage();
    b.writeBytes(body);
    return b;
  }
}
