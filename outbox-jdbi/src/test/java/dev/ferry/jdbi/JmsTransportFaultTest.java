package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.jms.JmsTransport;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TransportFaultSuite;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TransportFaultSuite} on JMS: an embedded Artemis with a persistent journal and its default
 * delivery limit (10), whose dead-letter address is {@code DLQ}; killed with {@link
 * EmbeddedArtemis#crash()}. (Killing a broker process with SIGKILL is shown for the HA pair by the
 * it-tests' FailoverIT.)
 */
class JmsTransportFaultTest extends JdbiStoreFaultSuite {
  private static EmbeddedArtemis broker;

  @BeforeAll
  static void startBroker() throws Exception {
    Path dir = Files.createTempDirectory(Path.of("target"), "artemis-faults");
    broker = EmbeddedArtemis.builder().dataDirectory(dir).maxDeliveryAttempts(10).start();
  }

  @AfterAll
  static void stopBroker() throws Exception {
    broker.close();
  }

  @Override
  protected String transportName() {
    return "JMS";
  }

  @Override
  protected Transport newTransport() {
    return JmsTransport.builder()
        .url(broker.tcpUrl())
        .reconnectInitialDelay(Duration.ofMillis(50))
        .reconnectMaxDelay(Duration.ofMillis(500))
        .build();
  }

  @Override
  protected int nativeDeadLetters(String queue) throws Exception {
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      try (QueueBrowser b =
          s.createBrowser(s.createQueue("DLQ"), "_AMQ_ORIG_ADDRESS = '" + queue + "'")) {
        Enumeration<?> messages = b.getEnumeration();
        int count = 0;
        while (messages.hasMoreElements()) {
          messages.nextElement();
          count++;
        }
        return count;
      }
    }
  }

  @Override
  protected boolean crashBroker() throws Exception {
    broker.crash();
    return true;
  }

  @Override
  protected void restartBroker() throws Exception {
    broker.startServer();
  }

  /** The count the suite asserts on sees what the broker parks: it could fail. */
  @Test
  void theNativeDeadLetterCountSeesAMessageTheBrokerParked() throws Exception {
    String queue = "faults.parked";
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      c.start();
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      s.createProducer(s.createQueue(queue)).send(s.createTextMessage("parked"));
      s.commit();
      try (MessageConsumer consumer = s.createConsumer(s.createQueue(queue))) {
        for (int i = 0; i < 10; i++) {
          assertThat(consumer.receive(5_000)).isNotNull();
          s.rollback();
        }
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> nativeDeadLetters(queue) == 1);
  }
}
