package dev.ferry.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.conformance.TestMessages.Work;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * PostgreSQL stops while messages keep arriving on a real broker whose delivery limit is its
 * default (10): the listener must hold what it has and take nothing more until the store answers,
 * so that every message is handled once, none reaches the broker's dead-letter queue and none
 * becomes a Ferry dead letter. Each transport runs it against its own broker; the scenario prints
 * sent / handled / duplicated / lost / in native DLQ / Ferry dead letters.
 */
public final class StoreOutageScenario {
  /** What the scenario needs of a transport and its broker. */
  public interface Broker {
    /** A transport on the broker, whose queue {@link #QUEUE} takes at most 10 deliveries. */
    Transport transport();

    /** Messages in the broker's own dead-letter queue for {@link #QUEUE}. */
    int nativeDeadLetters() throws Exception;

    /**
     * The durable store under test, on {@code database}, as {@link TransportFaultSuite#newStore}.
     */
    EnvelopeStore store(PostgresDatabase database, Duration connectionTimeout);
  }

  /** The queue the scenario sends to. */
  public static final String QUEUE = "outage.work";

  private final String name;
  private final int before;
  private final int during;
  private final Duration outage;

  /**
   * @param name the transport's name, in the printed line
   * @param before messages handled before the store stops
   * @param during messages sent while it is stopped
   * @param outage how long it stays stopped
   */
  public StoreOutageScenario(String name, int before, int during, Duration outage) {
    this.name = name;
    this.before = before;
    this.during = during;
    this.outage = outage;
  }

  /** Runs it: {@code data} holds the database, which the scenario stops and starts again. */
  public void run(Path data, Broker broker) throws Exception {
    Assumptions.assumeTrue(
        System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
    int port = freePort();
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(data, port);
    Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();
    EnvelopeStore store =
        broker.store(
            new PostgresDatabase(
                "jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "", true),
            Duration.ofMillis(500));
    MessageBus consumer = null;
    MessageBus producer = null;
    try {
      consumer =
          bus("worker", broker::transport)
              .store(store)
              .handle(
                  Work.class,
                  (m, ctx) -> {
                    handled.computeIfAbsent(m.n(), k -> new AtomicInteger()).incrementAndGet();
                    return null;
                  })
              .build();
      producer = bus("client", broker::transport).build();
      for (int i = 0; i < before; i++) {
        producer.send(new Work(i));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> handled.size() == before);

      pg.close();
      long outageStart = System.nanoTime();
      for (int i = before; i < before + during; i++) {
        producer.send(new Work(i));
      }
      Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - outageStart) / 1_000_000));
      pg = PostgresExtension.startEmbedded(data, port);

      int sent = before + during;
      await().atMost(Duration.ofSeconds(120)).until(() -> handled.size() == sent);
      Thread.sleep(500); // nothing more may follow
      int duplicated = handled.values().stream().mapToInt(n -> n.get() - 1).sum();
      int inDlq = broker.nativeDeadLetters();
      long deadLetters = store.deadLetterCount();
      System.out.printf(
          "%s store outage %ss: sent %d / handled %d / duplicated %d / lost %d / in native DLQ %d"
              + " / Ferry dead letters %d%n",
          name,
          outage.toSeconds(),
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
      store.close();
      pg.close();
    }
  }

  private static BusBuilder bus(String service, Supplier<Transport> transport) {
    return MessageBus.builder()
        .serviceName(service)
        .transport(transport.get())
        .route(Work.class, "queue:" + QUEUE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
