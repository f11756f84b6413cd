package dev.ferry.opentelemetry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.MessageBus;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.opentelemetry.Telemetry;
import dev.ferry.servicebus.ServiceBusTransport;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.functions.FunctionsHostSimulator;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Functions host: a message sent by a service over Service Bus is handled by a Service Bus
 * triggered function (driven as the host drives it) in the same trace, the handling span a child of
 * the sender's producer span.
 */
// Tests hold running buses and span scopes open in try blocks without calling them.
@SuppressWarnings("try")
class FunctionsTraceTest {

  @Test
  void aFunctionsHandlingContinuesTheSendersTrace() {
    ServiceBusTestDouble serviceBus =
        ServiceBusTestDouble.builder().queue(PingFunctions.QUEUE).start();
    Map<String, String> settings =
        Map.of(
            "ServiceBusConnection", serviceBus.connectionString(), "ferry.service-name", "billing");
    settings.forEach(System::setProperty);
    try (Telemetry telemetry = new Telemetry()) {
      FerryTelemetry ferry = FerryTelemetry.create(telemetry.sdk);
      TracedFunctionsSetup.telemetry = ferry;
      try (MessageBus orders =
              MessageBus.builder()
                  .serviceName("orders")
                  .transport(
                      ServiceBusTransport.builder()
                          .connectionString(serviceBus.connectionString())
                          .build())
                  .observer(ferry.observer())
                  .route(Ping.class, "queue:" + PingFunctions.QUEUE)
                  .build();
          FunctionsHostSimulator host =
              FunctionsHostSimulator.start(
                  serviceBus.connectionString(), 1, 1, PingFunctions.class)) {
        Span request = telemetry.inRequest(() -> orders.send(new Ping(1)));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> telemetry.names().contains("process " + PingFunctions.QUEUE));
        SpanData send = telemetry.span("send " + PingFunctions.QUEUE);
        SpanData process = telemetry.span("process " + PingFunctions.QUEUE);
        assertThat(send.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(process.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getEvents()).extracting(e -> e.getName()).containsExactly("settle");
        assertThat(host.invocations("ping")).singleElement().matches(i -> i.completed());
      }
    } finally {
      TracedFunctionsSetup.telemetry = null;
      FerryFunctions.shutdown();
      settings.keySet().forEach(System::clearProperty);
      serviceBus.close();
    }
  }
}
