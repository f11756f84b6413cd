package dev.ferry.benchmarks;

import dev.ferry.opentelemetry.FerryTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenTelemetry SDK as a service would run it (every span sampled, a batch span processor, a
 * metric reader every 10 s) whose exporters count and drop what they get: the cost measured is
 * Ferry's instrumentation and the SDK's, not a collector's network.
 */
record BenchTelemetry(FerryTelemetry ferry, AtomicLong spans) {

  static BenchTelemetry start() {
    AtomicLong spans = new AtomicLong();
    SpanExporter counting = new CountingSpanExporter(spans);
    MetricExporter dropping = new DroppingMetricExporter();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(counting).build())
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .registerMetricReader(
                        PeriodicMetricReader.builder(dropping)
                            .setInterval(Duration.ofSeconds(10))
                            .build())
                    .build())
            .build();
    return new BenchTelemetry(FerryTelemetry.create(sdk), spans);
  }

  /** Flushing and shutting down have nothing to wait for: the exporters below keep nothing. */
  private abstract static class NothingBuffered {
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Counts the spans it is given, then drops them. */
  private static final class CountingSpanExporter extends NothingBuffered implements SpanExporter {
    private final AtomicLong spans;

    CountingSpanExporter(AtomicLong spans) {
      this.spans = spans;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAndGet(batch.size());
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Drops the metrics it is given: the cost measured is collecting them. */
  private static final class DroppingMetricExporter extends NothingBuffered
      implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }
  }
}
