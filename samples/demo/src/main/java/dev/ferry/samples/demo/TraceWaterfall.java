package dev.ferry.samples.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One trace as a text waterfall: each span indented under its parent, with a bar in time. */
final class TraceWaterfall {
  private static final int BAR = 40;
  private static final AttributeKey<String> SUBSCRIPTION =
      AttributeKey.stringKey("messaging.destination.subscription.name");

  private TraceWaterfall() {}

  static String render(List<SpanData> trace) {
    if (trace.isEmpty()) {
      return "(no spans)\n";
    }
    Map<String, List<SpanData>> children = new HashMap<>();
    Map<String, SpanData> byId = new HashMap<>();
    trace.forEach(s -> byId.put(s.getSpanId(), s));
    List<SpanData> roots = new ArrayList<>();
    for (SpanData s : trace) {
      if (byId.containsKey(s.getParentSpanId())) {
        children.computeIfAbsent(s.getParentSpanId(), k -> new ArrayList<>()).add(s);
      } else {
        roots.add(s);
      }
    }
    long start = trace.stream().mapToLong(SpanData::getStartEpochNanos).min().orElse(0);
    long end = trace.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(start);
    double span = Math.max(1, end - start);
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "trace %s: %d spans over %.1f ms%n",
            trace.get(0).getTraceId(),
            trace.size(),
            (end - start) / 1e6));
    Comparator<SpanData> byStart = Comparator.comparingLong(SpanData::getStartEpochNanos);
    roots.sort(byStart);
    for (SpanData root : roots) {
      print(root, 0, children, byStart, start, span, out);
    }
    return out.toString();
  }

  private static void print(
      SpanData s,
      int depth,
      Map<String, List<SpanData>> children,
      Comparator<SpanData> byStart,
      long start,
      double total,
      StringBuilder out) {
    int from = (int) Math.round((s.getStartEpochNanos() - start) / total * BAR);
    int to = (int) Math.round((s.getEndEpochNanos() - start) / total * BAR);
    char[] bar = new char[BAR + 1];
    java.util.Arrays.fill(bar, ' ');
    for (int i = Math.min(from, BAR); i <= Math.min(Math.max(to, from), BAR); i++) {
      bar[i] = i == from || i == to ? '|' : '=';
    }
    String subscription = s.getAttributes().get(SUBSCRIPTION);
    String name =
        "  ".repeat(depth)
            + s.getName()
            + (subscription == null ? "" : " [" + subscription + "]")
            + (s.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR
                ? " ERROR"
                : "");
    out.append(
        String.format(
            Locale.ROOT,
            "  %9.1f ms %8.1f ms  %s  %-8s %s%n",
            (s.getStartEpochNanos() - start) / 1e6,
            (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6,
            new String(bar),
            s.getKind().name().toLowerCase(Locale.ROOT),
            name));
    List<SpanData> mine = new ArrayList<>(children.getOrDefault(s.getSpanId(), List.of()));
    mine.sort(byStart);
    for (SpanData c : mine) {
      print(c, depth + 1, children, byStart, start, total, out);
    }
  }
}
