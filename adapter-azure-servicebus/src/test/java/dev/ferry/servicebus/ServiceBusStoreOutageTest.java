package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.MessageBus;
import dev.ferry.conformance.TestMessages.Work;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.testing.PostgresExtension;
import dev.ferry.servicebus.testing.EntitySettings;
import dev.ferry.servicebus.testing.ServiceBusTestDouble;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stops while messages keep arriving on Service Bus (MaxDeliveryCount 10, its default):
 * the listener holds what it has (the SDK renews the locks) and takes nothing more until the store
 * answers; every message is handled once, none reaches the native dead-letter queue, none becomes a
 * Ferry dead letter.
 */
class ServiceBusStoreOutageTest {
  private static final int BEFORE = 200;
  private static final int DURING = 800;
  private static final Duration OUTAGE = Duration.ofSeconds(20);

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aStoreOutageUsesUpNoDeliveryCount(@TempDir Path data) throws Exception {
    Assumptions.assumeTrue(
        System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
    int port = freePort();
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(data, port);
    ServiceBusTestDouble serviceBus =
        ServiceBusTestDouble.builder()
            .queue("outage.work", EntitySettings.defaults().withMaxDeliveryCount(10))
            .start();
    Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres")
            .username("postgres")
            .schema("sboutage")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    MessageBus consumer = null;
    MessageBus producer = null;
    try {
      consumer =
          MessageBus.builder()
              .serviceName("worker")
              .transport(Doubles.transport(serviceBus).build())
              .store(store)
              .route(Work.class, "queue:outage.work")
              .handle(
                  Work.class,
                  (m, ctx) -> {
                    handled.computeIfAbsent(m.n(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                  })
              .build();
      producer =
          MessageBus.builder()
              .serviceName("client")
              .transport(Doubles.transport(serviceBus).build())
              .route(Work.class, "queue:outage.work")
              .build();
      for (int i = 0; i < BEFORE; i++) {
        producer.send(new Work(i));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == BEFORE);

      pg.close();
      long outageStart = System.nanoTime();
      for (int i = BEFORE; i < BEFORE + DURING; i++) {
        producer.send(new Work(i));
      }
      Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
      pg = PostgresExtension.startEmbedded(data, port);

      int sent = BEFORE + DURING;
      await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() == sent);
      Thread.sleep(500);
      int duplicated = handled.values().stream().mapToInt(n -> n.get() - 1).sum();
      int inDlq = serviceBus.deadLetters("outage.work").size();
      long deadLetters = store.deadLetterCount();
      System.out.printf(
          "Service Bus store outage %ss: sent %d / handled %d / duplicated %d / lost %d / in"
              + " native DLQ %d / Ferry dead letters %d%n",
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
      Doubles.closeChecked(serviceBus);
      store.close();
      pg.close();
    }
  }
}
