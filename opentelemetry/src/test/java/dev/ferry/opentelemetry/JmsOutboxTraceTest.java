package dev.ferry.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.BusHealth;
import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JMS over an embedded Artemis with the PostgreSQL outbox: a message sent inside a business
 * transaction while the broker is down waits in the outbox across a restart of its service; once
 * the broker is back, the restarted service's relay sends it as a child of the producer span stored
 * with the row, and the receiving service's handling continues the caller's trace.
 */
@ExtendWith(PostgresExtension.class)
class JmsOutboxTraceTest {

  @Test
  @SuppressWarnings("try") // a current span scope and a running service, held, never called
  void theRelayAfterAnOutageAndARestartSendsTheStoredContext(PostgresDatabase db) throws Exception {
    Path data = Path.of("target", "artemis-otel-" + System.nanoTime());
    Files.createDirectories(data);
    String schema = db.newSchema();
    try (Telemetry telemetry = new Telemetry();
        EmbeddedArtemis broker = EmbeddedArtemis.builder().dataDirectory(data).start()) {
      FerryTelemetry ferry = FerryTelemetry.create(telemetry.sdk);
      Span request = telemetry.sdk.getTracer("test").spanBuilder("POST /orders").startSpan();

      JdbiEnvelopeStore store = store(db, schema);
      try (MessageBus orders = orders(broker, store, ferry)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> BusHealth.of(orders).readiness().up());
        broker.stop();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(BusHealth.of(orders).readiness().reasons())
                        .anySatisfy(r -> assertThat(r).contains("is not attached")));
        try (Scope ignored = request.makeCurrent()) {
          FerryJdbi.useTransaction(
              store,
              h -> {
                h.execute("select 1"); // the business's own statement, same transaction
                orders.send(new Ping(7));
              });
        } finally {
          request.end();
        }
        Thread.sleep(300); // the relay tries, and fails, while the broker is down
      }
      assertThat(telemetry.names()).doesNotContain("relay ferry.test.ping.v1");

      broker.startServer();
      try (MessageBus billing =
              MessageBus.builder()
                  .serviceName("billing")
                  .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
                  .observer(ferry.observer())
                  .handle(Ping.class, (m, ctx) -> null)
                  .build();
          MessageBus restarted = orders(broker, store(db, schema), ferry)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> telemetry.names().contains("process ferry.test.ping.v1"));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> BusHealth.of(restarted).readiness().up());
      }

      SpanData send = telemetry.span("send ferry.test.ping.v1");
      SpanData relay = telemetry.span("relay ferry.test.ping.v1");
      SpanData process = telemetry.span("process ferry.test.ping.v1");
      String trace = request.getSpanContext().getTraceId();
      assertThat(List.of(send, relay, process))
          .allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(trace));
      assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
      assertThat(relay.getParentSpanId()).isEqualTo(send.getSpanId());
      assertThat(relay.getParentSpanContext().isRemote()).isTrue(); // restored from the row
      assertThat(relay.getAttributes().asMap().toString()).contains("messaging.system=jms");
      assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
      assertThat(relay.getStartEpochNanos() - send.getEndEpochNanos())
          .isGreaterThan(Duration.ofMillis(300).toNanos());

      List<MetricData> collected = List.copyOf(telemetry.metrics.collectAllMetrics());
      assertThat(telemetry.counter(collected, "ferry.messages.sent", null)).isEqualTo(1);
      assertThat(telemetry.counter(collected, "ferry.messages.delivered", null)).isEqualTo(1);
      assertThat(telemetry.counter(collected, "ferry.messages.handled", null)).isEqualTo(1);
      assertThat(
              telemetry
                  .metric(collected, "ferry.outbox.dwell")
                  .orElseThrow()
                  .getHistogramData()
                  .getPoints())
          .singleElement()
          .satisfies(p -> assertThat(p.getMin()).isGreaterThan(0.3));
    }
  }

  /** The orders node's store; the restarted node opens one on the same schema. */
  private static JdbiEnvelopeStore store(PostgresDatabase db, String schema) {
    return JdbiEnvelopeStore.builder()
        .jdbcUrl(db.jdbcUrl())
        .username(db.username())
        .password(db.password())
        .schema(schema)
        .build();
  }

  private static MessageBus orders(
      EmbeddedArtemis broker, JdbiEnvelopeStore store, FerryTelemetry ferry) {
    return MessageBus.builder()
        .serviceName("orders")
        .transport(
            JmsTransport.builder()
                .url(broker.tcpUrl())
                .reconnectInitialDelay(Duration.ofMillis(50))
                .build())
        .store(store)
        .observer(ferry.observer())
        .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
        // A row whose send was cut short by the close stays claimed until its lease ends; short,
        // so that the restarted node takes it over quickly, as after a crash.
        .outbox(OutboxOptions.defaults().lease(Duration.ofSeconds(3)))
        .sender(SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofMillis(200)))
        .shutdownTimeout(Duration.ofSeconds(2))
        .route(Ping.class, "queue:ferry.test.ping.v1")
        .handle(Pong.class, (m, ctx) -> null)
        .build();
  }
}
