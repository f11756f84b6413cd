package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.ConfigurationException;
import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A broker that goes away, a broker that is not there, and retries on JMS. */
class JmsFaultsTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    closeables.add(t);
    return t;
  }

  @Test
  void brokerRestartLosesNothingAndListenersResume() throws Exception {
    EmbeddedArtemis broker = keep(ArtemisExtension.start("restart"));
    WorkTally tally = new WorkTally();
    JmsTransport consumerSide =
        JmsTransport.builder()
            .url(broker.tcpUrl())
            .reconnectInitialDelay(Duration.ofMillis(50))
            .reconnectMaxDelay(Duration.ofMillis(500))
            .build();
    keep(
        MessageBus.builder()
            .serviceName("worker")
            .transport(consumerSide)
            .route(Work.class, "queue:restart.work")
            .handle(Work.class, tally.handler())
            .build());
    MessageBus sender =
        keep(
            MessageBus.builder()
                .serviceName("sender")
                .transport(
                    JmsTransport.builder()
                        .url(broker.tcpUrl())
                        .reconnectInitialDelay(Duration.ofMillis(50))
                        .build())
                .route(Work.class, "queue:restart.work")
                .sender(
                    SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofMillis(300)))
                .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
                .build());
    for (int i = 0; i < 200; i++) {
      sender.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> tally.handled.size() == 200);

    broker.stop();
    for (int i = 200; i < 400; i++) {
      sender.send(new Work(i)); // accepted into the outbox while the broker is down
    }
    Thread.sleep(500);
    broker.startServer();

    await().atMost(Duration.ofSeconds(30)).until(() -> tally.handled.size() == 400);
    assertThat(tally.duplicates.get()).isZero();
  }

  @Test
  void missingBrokerSettingFailsAtStartNamingTheKey() {
    assertThatThrownBy(() -> MessageBus.builder().transport("jms").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.jms.url")
        .hasMessageContaining("FERRY_JMS_URL");
  }

  @Test
  void unreachableBrokerFailsAtStartWithoutLeakingThePassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .transport(
                        JmsTransport.builder()
                            .url("tcp://127.0.0.1:" + closedPort + "?password=hunter2")
                            .build())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot connect to the JMS broker")
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void unknownJndiNameFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .transport(
                        JmsTransport.builder().connectionFactoryJndi("java:/NoSuchFactory").build())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.jms.connection-factory-jndi");
  }
}
