package dev.ferry.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.MessageBus;
import dev.ferry.servicebus.ServiceBusTransport;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Service Bus through the real Azure SDK against the test double: one trace across two services,
 * and a message from a plain SDK producer that carries only {@code Diagnostic-Id} (as the SDK's own
 * tracing sets it) handled as a child of that context.
 */
// Tests hold running buses and span scopes open in try blocks without calling them.
@SuppressWarnings("try")
class ServiceBusTraceTest {

  private static ServiceBusTransport transport(ServiceBusTestDouble serviceBus) {
    return ServiceBusTransport.builder()
        .connectionString(serviceBus.connectionString())
        .tryTimeout(Duration.ofSeconds(5))
        .maxRetries(1)
        .retryDelay(Duration.ofMillis(100))
        .build();
  }

  @Test
  void oneTraceAcrossTwoServicesAndTheAzureSdksDiagnosticIdIsAParent() {
    ServiceBusTestDouble serviceBus =
        ServiceBusTestDouble.builder()
            .queue("ferry.test.ping.v1")
            .queue("ferry.test.pong.v1")
            .start();
    try (Telemetry telemetry = new Telemetry()) {
      FerryTelemetry ferry = FerryTelemetry.create(telemetry.sdk);
      try (MessageBus billing =
              MessageBus.builder()
                  .serviceName("billing")
                  .transport(transport(serviceBus))
                  .observer(ferry.observer())
                  .handle(Ping.class, (m, ctx) -> m.n() == 1 ? new Pong(m.n()) : null)
                  .build();
          MessageBus orders =
              MessageBus.builder()
                  .serviceName("orders")
                  .transport(transport(serviceBus))
                  .observer(ferry.observer())
                  .route(Ping.class, "queue:ferry.test.ping.v1")
                  .handle(Pong.class, (m, ctx) -> null)
                  .build()) {
        Span request = telemetry.inRequest(() -> orders.send(new Ping(1)));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> telemetry.names().contains("process ferry.test.pong.v1"));
        SpanData send = telemetry.span("send ferry.test.ping.v1");
        SpanData process = telemetry.span("process ferry.test.ping.v1");
        SpanData cascade = telemetry.span("send ferry.test.pong.v1");
        SpanData processPong = telemetry.span("process ferry.test.pong.v1");
        assertThat(List.of(send, process, cascade, processPong))
            .allSatisfy(
                s -> assertThat(s.getTraceId()).isEqualTo(request.getSpanContext().getTraceId()));
        assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getAttributes().asMap().toString())
            .contains("messaging.system=servicebus");
        assertThat(cascade.getParentSpanId()).isEqualTo(process.getSpanId());
        assertThat(processPong.getParentSpanId()).isEqualTo(cascade.getSpanId());

        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpan = "00f067aa0ba902b7";
        ServiceBusMessage foreign = new ServiceBusMessage("{\"n\":2}");
        foreign.setSubject("ferry.test.ping.v1");
        foreign.setContentType("application/json");
        foreign
            .getApplicationProperties()
            .put("Diagnostic-Id", "00-" + trace + "-" + parentSpan + "-01");
        try (ServiceBusSenderClient sender =
            new ServiceBusClientBuilder()
                .connectionString(serviceBus.connectionString())
                .sender()
                .queueName("ferry.test.ping.v1")
                .buildClient()) {
          sender.sendMessage(foreign);
        }
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> telemetry.spans().stream().anyMatch(s -> s.getTraceId().equals(trace)));
        SpanData fromSdk =
            telemetry.spans().stream()
                .filter(s -> s.getTraceId().equals(trace))
                .filter(s -> s.getName().equals("process ferry.test.ping.v1"))
                .findFirst()
                .orElseThrow();
        assertThat(fromSdk.getParentSpanId()).isEqualTo(parentSpan);
      }
    } finally {
      serviceBus.close();
    }
  }
}
