package dev.ferry.benchmarks;

import dev.ferry.MessageBus;
import dev.ferry.jms.EmbeddedArtemis;
import dev.ferry.jms.JmsTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the scenarios against one embedded broker in one process, prints a table with the ratio to
 * the raw client, and writes CSV and JSON under {@code target/benchmarks}.
 *
 * <p>Arguments: {@code --messages=N} per scenario (default 20000), {@code --warmup=N} (default a
 * fifth of that), {@code --only=substring} to run matching scenarios.
 */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int messages = Integer.parseInt(opts.getOrDefault("messages", "20000"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", String.valueOf(messages / 5)));
    String only = opts.getOrDefault("only", "");
    Path out = Path.of(opts.getOrDefault("out", "target/benchmarks"));
    List<Result> results = run(messages, warmup, only, out.resolve("artemis"));
    print(results);
    write(results, out);
  }

  static List<Result> run(int messages, int warmup, String only, Path brokerDir) throws Exception {
    deleteRecursively(brokerDir);
    List<Result> results = new ArrayList<>();
    try (EmbeddedArtemis broker = EmbeddedArtemis.builder().dataDirectory(brokerDir).start()) {
      String url = broker.tcpUrl();
      List<Scenario> scenarios =
          List.of(
              new RawJmsScenario(url, 4),
              new FerryScenario(
                  "Ferry JMS, non-durable",
                  () -> MessageBus.builder().transport(JmsTransport.builder().url(url).build()),
                  () ->
                      MessageBus.builder()
                          .transport(JmsTransport.builder().url(url).build())
                          .listenerConcurrency(4)
                          .listenerMaxBatch(100)));
      for (Scenario s : scenarios) {
        if (!s.name().contains(only)) {
          continue;
        }
        if (warmup > 0) {
          s.run(warmup);
        }
        Result r = s.run(messages);
        System.out.printf(Locale.ROOT, "%-40s %,10.0f msg/s%n", r.scenario(), r.perSecond());
        results.add(r);
      }
    }
    return results;
  }

  static void print(List<Result> results) {
    double raw =
        results.stream()
            .filter(r -> r.scenario().startsWith("raw JMS"))
            .mapToDouble(Result::perSecond)
            .findFirst()
            .orElse(Double.NaN);
    System.out.printf(
        Locale.ROOT,
        "%n%-40s %10s %8s %9s %9s %9s %8s%n",
        "scenario",
        "msg/s",
        "x raw",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "RSS MB");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-40s %,10.0f %8.2f %9.2f %9.2f %9.2f %8d%n",
          r.scenario(),
          r.perSecond(),
          r.perSecond() / raw,
          r.p50Millis(),
          r.p95Millis(),
          r.p99Millis(),
          r.peakRssMb());
    }
  }

  static void write(List<Result> results, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder csv =
        new StringBuilder("scenario,messages,seconds,msg_per_s,p50_ms,p95_ms,p99_ms,peak_rss_mb\n");
    StringBuilder json = new StringBuilder("{\"at\":\"" + Instant.now() + "\",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "\"%s\",%d,%.3f,%.1f,%.3f,%.3f,%.3f,%d%n",
              r.scenario(),
              r.messages(),
              r.seconds(),
              r.perSecond(),
              r.p50Millis(),
              r.p95Millis(),
              r.p99Millis(),
              r.peakRssMb()));
      json.append(
          String.format(
              Locale.ROOT,
              "%s{\"scenario\":\"%s\",\"messages\":%d,"
                  + "\"seconds\":%.3f,\"msgPerSecond\":%.1f,\"p50Ms\":%.3f,\"p95Ms\":%.3f,"
                  + "\"p99Ms\":%.3f,\"peakRssMb\":%d}",
              i == 0 ? "" : ",",
              r.scenario(),
              r.messages(),
              r.seconds(),
              r.perSecond(),
              r.p50Millis(),
              r.p95Millis(),
              r.p99Millis(),
              r.peakRssMb()));
    }
    json.append("]}\n");
    Files.writeString(out.resolve("results.csv"), csv);
    Files.writeString(out.resolve("results.json"), json);
    System.out.println("\nWrote " + out.resolve("results.csv") + " and results.json");
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
