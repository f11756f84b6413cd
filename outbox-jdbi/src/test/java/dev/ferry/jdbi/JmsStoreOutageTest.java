package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.MessageBus;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.jdbi.testing.PostgresExtension;
import dev.ferry.jms.EmbeddedArtemis;
import dev.ferry.jms.JmsTransport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops while messages keep arriving on JMS (Artemis with max-delivery-attempts 10, its
 * default): the listeners hold what they have and take nothing more until the store answers, so no
 * delivery is counted for the outage; every message is handled once, none reaches the broker's
 * dead-letter queue, none becomes a Ferry dead letter.
 */
class JmsStoreOutageTest {
  private static final int BEFORE = 200;
  private static final int DURING = 1_800;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aStoreOutageUsesUpNoDeliveryCount(@TempDir Path data, @TempDir Path brokerDir)
      throws Exception {
    Assumptions.assumeTrue(
        System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
    int port = freePort();
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(data, port);
    EmbeddedArtemis broker =
        EmbeddedArtemis.builder().dataDirectory(brokerDir).maxDeliveryAttempts(10).start();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres")
            .username("postgres")
            .schema("jmsoutage")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    MessageBus consumer = null;
    MessageBus producer = null;
    try {
      consumer =
          MessageBus.builder()
              .serviceName("worker")
              .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
              .store(store)
              .messageTypes(OrderPlaced.class)
              .route(OrderPlaced.class, "queue:outage.orders")
              .handle(
                  OrderPlaced.class,
                  (m, ctx) -> {
                    handled.computeIfAbsent(m.id(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                  })
              .build();
      producer =
          MessageBus.builder()
              .serviceName("client")
              .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
              .messageTypes(OrderPlaced.class)
              .route(OrderPlaced.class, "queue:outage.orders")
              .build();
      for (int i = 0; i < BEFORE; i++) {
        producer.send(new OrderPlaced("o-" + i));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> handled.size() == BEFORE);

      pg.close();
      long outageStart = System.nanoTime();
      for (int i = BEFORE; i < BEFORE + DURING; i++) {
        producer.send(new OrderPlaced("o-" + i));
      }
      Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
      pg = PostgresExtension.startEmbedded(data, port);

      int sent = BEFORE + DURING;
      await().atMost(Duration.ofSeconds(90)).until(() -> handled.size() == sent);
      Thread.sleep(500); // nothing more may follow
      int duplicated = handled.values().stream().mapToInt(n -> n.get() - 1).sum();
      int inDlq = browse(broker, "DLQ");
      long deadLetters = store.deadLetterCount();
      System.out.printf(
          "JMS store outage %ss: sent %d / handled %d / duplicated %d / lost %d / in native DLQ %d"
              + " / Ferry dead letters %d%n",
          OUTAGE.toSeconds(),
          sent,
          handled.size(),
          duplicated,
          sent - handled.size(),
          inDlq,
          deadLetters);
      assertThat(duplicated).isZero();
      assertThat(inDlq).isZero();
      assertThat(deadLetters).isZero();
    } finally {
      if (consumer != null) {
        consumer.close();
      }
      if (producer != null) {
        producer.close();
      }
      broker.close();
      store.close();
      pg.close();
    }
  }

  private static int browse(EmbeddedArtemis broker, String queue) throws Exception {
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      try (QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
        return Collections.list(b.getEnumeration()).size();
      }
    }
  }
}
