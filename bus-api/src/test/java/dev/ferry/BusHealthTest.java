package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.OutageTest.SwitchableTransport;
import dev.ferry.TestMessages.Work;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Liveness and readiness follow the bus's state: its circuits, and whether it runs. */
class BusHealthTest {

  @Test
  void readinessGoesDownWhileACircuitStaysOpenAndUpOnceItCloses() {
    String broker = UUID.randomUUID().toString();
    SwitchableTransport transport = new SwitchableTransport(broker);
    try (MessageBus bus =
        MessageBus.builder()
            .localBroker(broker)
            .transport(transport)
            .sender(
                SenderOptions.defaults()
                    .circuitBreakerFailures(2)
                    .circuitBreakerProbeInterval(Duration.ofMillis(200)))
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(50)))
            .handle(Work.class, (m, ctx) -> null)
            .build()) {
      BusHealth health = BusHealth.of(bus).circuitOpenLimit(Duration.ofMillis(300));
      assertThat(health.readiness().up()).isTrue();
      assertThat(health.liveness().up()).isTrue();

      transport.down = true;
      bus.send(new Work(1));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(health.readiness().reasons())
                      .singleElement()
                      .asString()
                      .startsWith("circuit to local:queue:ferry.test.work.v1 open for"));
      // An open circuit alone is no reason: only one open for longer than the limit.
      assertThat(BusHealth.of(bus).readiness().up()).isTrue();
      assertThat(health.liveness().up()).isTrue();

      transport.down = false;
      await().atMost(Duration.ofSeconds(10)).until(() -> health.readiness().up());
    }
  }

  @Test
  void livenessAndReadinessGoDownWhenTheBusIsClosed() {
    MessageBus bus =
        MessageBus.builder()
            .serviceName("app")
            .localBroker(UUID.randomUUID().toString())
            .handle(Work.class, (m, ctx) -> null)
            .build();
    BusHealth health = BusHealth.of(bus);
    assertThat(health.liveness().up()).isTrue();
    bus.close();
    assertThat(health.liveness().up()).isFalse();
    assertThat(health.liveness().reasons()).containsExactly("bus 'app' is closed");
    assertThat(health.readiness().reasons()).contains("bus 'app' is closed");
  }
}
