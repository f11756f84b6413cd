package dev.ferry.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.MessageBus;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code ferry.observers=opentelemetry} installs the same spans and gauges as the builder call. */
class ConfiguredObserverTest {

  @Test
  void theConfigurationKeyInstallsTracesMetricsAndGaugesThroughTheGlobalInstance() {
    try (Telemetry telemetry = new Telemetry()) {
      GlobalOpenTelemetry.resetForTest();
      GlobalOpenTelemetry.set(telemetry.sdk);
      try (MessageBus bus =
          MessageBus.builder()
              .localBroker(UUID.randomUUID().toString())
              .property("ferry.observers", "opentelemetry")
              .handle(Ping.class, (m, ctx) -> null)
              .build()) {
        bus.send(new Ping(1));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> telemetry.names().contains("process ferry.test.ping.v1"));
        assertThat(telemetry.span("process ferry.test.ping.v1").getParentSpanId())
            .isEqualTo(telemetry.span("send ferry.test.ping.v1").getSpanId());
        assertThat(telemetry.metrics.collectAllMetrics())
            .extracting(m -> m.getName())
            .contains("ferry.messages.handled", "ferry.outbox.depth");
      } finally {
        GlobalOpenTelemetry.resetForTest();
      }
    }
  }
}
