package dev.ferry.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;

/** An OpenTelemetry SDK with in-memory exporters, for asserting what Ferry reported. */
public final class Telemetry implements AutoCloseable {
  public final InMemorySpanExporter spans = InMemorySpanExporter.create();
  public final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  public final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  /**
   * Runs {@code work} inside a request span, as the web request of an application that sends would;
   * returns the span, ended, whose trace what {@code work} sent must continue.
   */
  @SuppressWarnings("try") // the scope is held, never called: it makes the span current
  public Span inRequest(Runnable work) {
    Span request = sdk.getTracer("test").spanBuilder("POST /orders").startSpan();
    try (Scope ignored = request.makeCurrent()) {
      work.run();
    } finally {
      request.end();
    }
    return request;
  }

  public List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  public SpanData span(String name) {
    return spans().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No span " + name + " in " + names()));
  }

  public List<String> names() {
    return spans().stream().map(SpanData::getName).toList();
  }

  /** The sum of a counter's points whose attributes match, or 0 when there is none. */
  long counter(List<MetricData> collected, String name, String destination) {
    return collected.stream()
        .filter(m -> m.getName().equals(name))
        .flatMap(m -> m.getLongSumData().getPoints().stream())
        .filter(
            p ->
                destination == null
                    || destination.equals(
                        p.getAttributes()
                            .get(AttributeKey.stringKey("messaging.destination.name"))))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  Optional<MetricData> metric(List<MetricData> collected, String name) {
    return collected.stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  @Override
  public void close() {
    sdk.close();
  }
}
