package dev.ferry.samples.demo;

import dev.ferry.opentelemetry.FerryTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's OpenTelemetry SDK, configured by the standard {@code OTEL_*} variables (or {@code
 * otel.*} system properties): with {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or an exporter named by
 * {@code OTEL_TRACES_EXPORTER}) it exports there; without, it exports nowhere. Either way it keeps
 * this run's spans in memory, to print one order's trace at the end.
 */
final class DemoTelemetry implements AutoCloseable {
  private static final List<String> COLLECTOR_SETTINGS =
      List.of(
          "otel.exporter.otlp.endpoint",
          "otel.exporter.otlp.traces.endpoint",
          "otel.traces.exporter",
          "otel.metrics.exporter");

  final SpanRecorder recorder = new SpanRecorder();
  final boolean exporting;
  private final OpenTelemetrySdk sdk;
  final FerryTelemetry ferry;

  DemoTelemetry() {
    exporting = COLLECTOR_SETTINGS.stream().anyMatch(DemoTelemetry::isSet);
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "ferry-demo");
    // OTLP over HTTP (port 4318): the demo carries the JDK's HTTP sender, not a gRPC one.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    if (!exporting) {
      defaults.put("otel.traces.exporter", "none");
      defaults.put("otel.metrics.exporter", "none");
      defaults.put("otel.logs.exporter", "none");
    }
    sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addTracerProviderCustomizer(
                (tracing, config) -> tracing.addSpanProcessor(SimpleSpanProcessor.create(recorder)))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    ferry = FerryTelemetry.create(sdk);
  }

  private static boolean isSet(String property) {
    String env = property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    return System.getProperty(property) != null || System.getenv(env) != null;
  }

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  @Override
  public void close() {
    sdk.close();
  }
}
