package dev.ferry.jdbi;

import static dev.ferry.jdbi.contract.ContractData.deadLetter;
import static dev.ferry.jdbi.contract.ContractData.now;
import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static dev.ferry.jdbi.contract.ContractData.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.jdbi.testing.PostgresExtension;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database going away: calls fail with a clear exception, nothing stored is lost. */
class DatabaseOutageTest {

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnreachableDatabaseFailsTheStartClearly() throws Exception {
    int closed = freePort();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:" + closed + "/app?password=hunter2")
            .username("app")
            .password("hunter3")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> store.start("n"))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not install its schema")
          .hasMessageContaining("jdbc:postgresql://127.0.0.1:" + closed + "/app")
          .hasMessageNotContaining("hunter");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThatThrownBy(() -> store.claimOutgoing("n", 10, now(), Duration.ofSeconds(1)))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not claim outgoing messages");
    } finally {
      store.close();
    }
  }

  @Test
  void callsFailWhileTheDatabaseIsDownAndNothingIsLost(@TempDir Path data) throws Exception {
    Assumptions.assumeTrue(
        System.getenv("FERRY_TEST_JDBC_URL") == null, "needs an embedded server it may stop");
    int port = freePort();
    EmbeddedPostgres pg = PostgresExtension.startEmbedded(data, port);
    Set<String> received = ConcurrentHashMap.newKeySet();
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres")
            .username("postgres")
            .schema("outage")
            .connectionTimeout(Duration.ofMillis(500))
            .jtaRegistry("none")
            .build();
    MessageBus bus =
        MessageBus.builder()
            .serviceName("outage")
            .localBroker("outage" + ProcessHandle.current().pid())
            .store(store)
            .messageTypes(OrderPlaced.class)
            .outboxPollInterval(Duration.ofMillis(100))
            .handle(
                OrderPlaced.class,
                (m, ctx) -> {
                  received.add(m.id());
                  return null;
                })
            .build();
    try {
      store(store, outgoing("kept-", 3), null, now().plusSeconds(3600)); // unowned: for the relay
      store.storeDeadLetter(deadLetter("dl", "local:queue:x", now()));
      await().atMost(Duration.ofSeconds(5)).until(() -> store.outgoingCount() == 0);

      store(store, outgoing("parked-", 2), "elsewhere", now().plusSeconds(3600));
      pg.close();

      assertThatThrownBy(() -> bus.send(new OrderPlaced("lost?")))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("Ferry JDBI store could not")
          .hasMessageContaining("schema 'outage'");
      assertThatThrownBy(store::outgoingCount)
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("could not count outgoing messages");
      assertThatThrownBy(() -> store.storeDeadLetter(deadLetter("dl2", "local:queue:x", now())))
          .isInstanceOf(FerryException.class);
      assertThatThrownBy(() -> store(store, outgoing("during-", 1), null, null))
          .isInstanceOf(RuntimeException.class);

      pg = PostgresExtension.startEmbedded(data, port);
      JdbiEnvelopeStore s = store;
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> s.outgoingCount() == 2);
      assertThat(store.deadLetterCount()).isEqualTo(1);
      bus.send(new OrderPlaced("after"));
      await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));
      assertThat(received).doesNotContain("lost?");
    } finally {
      bus.close();
      pg.close();
    }
  }
}
