package dev.ferry.jdbi;

import dev.ferry.jdbi.testing.StoreOutageScenario;
import dev.ferry.jms.EmbeddedArtemis;
import dev.ferry.jms.JmsTransport;
import dev.ferry.spi.Transport;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreOutageScenario} on JMS: an embedded Artemis with max-delivery-attempts 10, its
 * default, whose dead-letter address is {@code DLQ}. Ferry's listener holds the messages it has in
 * the open JMS transaction while the store is down, so Artemis counts no delivery.
 */
class JmsStoreOutageTest {
  @Test
  void aStoreOutageUsesUpNoDeliveryCount(@TempDir Path data, @TempDir Path brokerDir)
      throws Exception {
    try (EmbeddedArtemis broker =
        EmbeddedArtemis.builder().dataDirectory(brokerDir).maxDeliveryAttempts(10).start()) {
      new StoreOutageScenario("JMS", 200, 1_800, Duration.ofSeconds(20))
          .run(
              data,
              "jmsoutage",
              new StoreOutageScenario.Broker() {
                @Override
                public Transport transport() {
                  return JmsTransport.builder().url(broker.tcpUrl()).build();
                }

                @Override
                public int nativeDeadLetters() throws Exception {
                  return browse(broker, "DLQ");
                }
              });
    }
  }

  private static int browse(EmbeddedArtemis broker, String queue) throws Exception {
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
        Enumeration<?> messages = b.getEnumeration();
        int count = 0;
        for (; messages.hasMoreElements(); messages.nextElement()) {
          count++;
        }
        return count;
      }
    }
  }
}
