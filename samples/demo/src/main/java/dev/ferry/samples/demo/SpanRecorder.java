package dev.ferry.samples.demo;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Keeps the finished spans of this run in memory, for printing one trace at the end. */
final class SpanRecorder implements SpanExporter {
  /** Enough for the demo's default run; spans past it are not kept. */
  private static final int LIMIT = 100_000;

  private final List<SpanData> spans = new ArrayList<>();

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    for (SpanData s : batch) {
      if (spans.size() < LIMIT) {
        spans.add(s);
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  synchronized List<SpanData> spans() {
    return List.copyOf(spans);
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
