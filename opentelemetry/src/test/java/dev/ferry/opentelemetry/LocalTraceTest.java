package dev.ferry.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageBus;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Poison;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two services on the local transport: one trace from the caller's span through the sender's
 * producer span to the receiver's handling and its cascade back; metric values after that flow.
 */
// Tests hold running buses and span scopes open in try blocks without calling them.
@SuppressWarnings("try")
class LocalTraceTest {

  @Test
  void oneTraceAcrossTwoServicesWithTheirParentChildLinksAndCounters() throws Exception {
    String broker = UUID.randomUUID().toString();
    try (Telemetry telemetry = new Telemetry()) {
      FerryTelemetry ferry = FerryTelemetry.create(telemetry.sdk);
      try (MessageBus billing =
              MessageBus.builder()
                  .serviceName("billing")
                  .localBroker(broker)
                  .observer(ferry.observer())
                  .handle(Ping.class, (m, ctx) -> new Pong(m.n()))
                  .build();
          MessageBus orders =
              MessageBus.builder()
                  .serviceName("orders")
                  .localBroker(broker)
                  .observer(ferry.observer())
                  .route(Ping.class, "queue:ferry.test.ping.v1")
                  .handle(Pong.class, (m, ctx) -> null)
                  .build();
          AutoCloseable gauges = ferry.observe(orders)) {
        Span request = telemetry.inRequest(() -> orders.send(new Ping(1)));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> telemetry.names().contains("process ferry.test.pong.v1"));

        SpanData send = telemetry.span("send ferry.test.ping.v1");
        SpanData relay = telemetry.span("relay ferry.test.ping.v1");
        SpanData process = telemetry.span("process ferry.test.ping.v1");
        SpanData cascade = telemetry.span("send ferry.test.pong.v1");
        SpanData processPong = telemetry.span("process ferry.test.pong.v1");
        String trace = request.getSpanContext().getTraceId();
        assertThat(List.of(send, relay, process, cascade, processPong))
            .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(trace));
        assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(relay.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(cascade.getParentSpanId()).isEqualTo(process.getSpanId());
        assertThat(processPong.getParentSpanId()).isEqualTo(cascade.getSpanId());
        assertThat(process.getEvents()).extracting(e -> e.getName()).containsExactly("settle");
        assertThat(telemetry.names()).doesNotContain("settle ferry.test.ping.v1");
        assertThat(process.getAttributes().asMap().toString())
            .contains("messaging.operation.type=process")
            .contains("messaging.destination.name=ferry.test.ping.v1")
            .contains("ferry.message.type=ferry.test.ping.v1");

        List<MetricData> collected = List.copyOf(telemetry.metrics.collectAllMetrics());
        String pingQueue = Address.queue("ferry.test.ping.v1").on("local").toString();
        assertThat(telemetry.counter(collected, "ferry.messages.sent", pingQueue)).isEqualTo(1);
        assertThat(telemetry.counter(collected, "ferry.messages.delivered", pingQueue))
            .isEqualTo(1);
        assertThat(telemetry.counter(collected, "ferry.messages.received", null)).isEqualTo(2);
        assertThat(telemetry.counter(collected, "ferry.messages.handled", null)).isEqualTo(2);
        assertThat(telemetry.counter(collected, "ferry.messages.failed", null)).isZero();
        assertThat(
                telemetry
                    .metric(collected, "ferry.handling.duration")
                    .orElseThrow()
                    .getHistogramData()
                    .getPoints())
            .extracting(p -> p.getCount())
            .containsExactlyInAnyOrder(1L, 1L);
        assertThat(telemetry.metric(collected, "ferry.message.latency")).isPresent();
        assertThat(telemetry.metric(collected, "ferry.outbox.dwell")).isPresent();
        assertThat(
                telemetry
                    .metric(collected, "ferry.outbox.depth")
                    .orElseThrow()
                    .getLongGaugeData()
                    .getPoints())
            .singleElement()
            .satisfies(p -> assertThat(p.getValue()).isZero());
      }
    }
  }

  @Test
  void aFailingAttemptIsAnErrorSpanWithItsExceptionAndTheDeadLetterIsRecorded() {
    try (Telemetry telemetry = new Telemetry()) {
      FerryTelemetry ferry = FerryTelemetry.create(telemetry.sdk);
      try (MessageBus bus =
          MessageBus.builder()
              .localBroker(UUID.randomUUID().toString())
              .observer(ferry.observer())
              .defaultErrorPolicy(ErrorPolicy.on(Throwable.class).retry(1).thenDeadLetter())
              .handle(
                  Poison.class,
                  (m, ctx) -> {
                    throw new IllegalStateException("bad " + m.id());
                  })
              .build()) {
        bus.send(new Poison("x"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> telemetry.names().contains("dead-letter ferry.test.poison.v1"));
        List<SpanData> attempts =
            telemetry.spans().stream()
                .filter(s -> s.getName().equals("process ferry.test.poison.v1"))
                .toList();
        assertThat(attempts).hasSize(2);
        assertThat(attempts)
            .allSatisfy(
                s -> {
                  assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                  assertThat(s.getEvents())
                      .anySatisfy(ev -> assertThat(ev.getName()).isEqualTo("exception"));
                });
        SpanData deadLetter = telemetry.span("dead-letter ferry.test.poison.v1");
        assertThat(deadLetter.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(deadLetter.getParentSpanId())
            .isIn(attempts.stream().map(SpanData::getSpanId).toList());

        List<MetricData> collected = List.copyOf(telemetry.metrics.collectAllMetrics());
        assertThat(telemetry.counter(collected, "ferry.messages.failed", null)).isEqualTo(2);
        assertThat(telemetry.counter(collected, "ferry.messages.retried", null)).isEqualTo(1);
        assertThat(telemetry.counter(collected, "ferry.messages.dead_lettered", null)).isEqualTo(1);
      }
    }
  }
}
