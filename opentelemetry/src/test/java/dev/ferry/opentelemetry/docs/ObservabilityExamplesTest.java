package dev.ferry.opentelemetry.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.BusHealth;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.spi.MessageObserver;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The code of docs/observability.md, run. */
class ObservabilityExamplesTest {

  static MessageBus tracedBus(OpenTelemetry openTelemetry, String broker) {
    // tag::install[]
    FerryTelemetry telemetry =
        FerryTelemetry.create(openTelemetry); // e.g. GlobalOpenTelemetry.get()
    MessageBus bus =
        MessageBus.builder()
            .serviceName("orders")
            .observer(telemetry.observer()) // spans and metrics of every message
            // end::install[]
            .localBroker(broker)
            // tag::install[]
            .build();
    AutoCloseable gauges = telemetry.observe(bus); // outbox, inbox, dead letters, circuits
    // end::install[]
    assertThat(gauges).isNotNull();
    return bus;
  }

  static String readiness(MessageBus bus) {
    // tag::health[]
    BusHealth health = BusHealth.of(bus).circuitOpenLimit(Duration.ofMinutes(1));
    BusHealth.Check ready = health.readiness(); // and health.liveness()
    String answer = ready.up() ? "UP" : "DOWN " + ready.reasons();
    // end::health[]
    return answer;
  }

  @Test
  void theInstalledBusReportsItsGaugesAndIsReady() {
    InMemoryMetricReader metrics = InMemoryMetricReader.create();
    try (OpenTelemetrySdk sdk =
            OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .build();
        MessageBus bus = tracedBus(sdk, UUID.randomUUID().toString())) {
      assertThat(metrics.collectAllMetrics())
          .extracting(m -> m.getName())
          .contains("ferry.outbox.depth", "ferry.dead_letters", "ferry.listeners.paused");
      assertThat(readiness(bus)).isEqualTo("UP");
    }
  }

  @Test
  void withoutAnSdkFerryKeepsItsOwnTraceContext() {
    List<String> traceParents = new CopyOnWriteArrayList<>();
    try (MessageBus bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .observer(FerryTelemetry.create(OpenTelemetry.noop()).observer())
            .observer(
                new MessageObserver() {
                  @Override
                  public void received(Envelope envelope, Address endpoint, int attempt) {
                    traceParents.add(envelope.traceParent());
                  }
                })
            .handle(Ping.class, (m, ctx) -> null)
            .build()) {
      bus.send(new Ping(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> !traceParents.isEmpty());
      assertThat(traceParents.get(0)).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
      assertThat(readiness(bus)).isEqualTo("UP");
    }
  }
}
