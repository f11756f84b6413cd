package dev.ferry.benchmarks;

import dev.ferry.testkit.EmbeddedArtemis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
 * The benchmark suite. This process owns the embedded Artemis broker and PostgreSQL; each scenario
 * runs in a process of its own against them (so that its peak RSS is its own), and reports back.
 * Prints a table with ratios to the raw JMS twin and writes CSV and JSON.
 *
 * <p>Arguments: {@code --messages=N} per saturation run (default 50000), {@code --warmup=N}
 * (default 10000), {@code --rates=100,1000,5000} for the fixed-rate latency runs, {@code
 * --backlog=N} messages for the backlog run (default 1000000; 0 skips it), {@code
 * --only=raw,ferry,ferry-otel,durable10,durable1,peer,pg} to pick scenarios ({@code ferry-otel} is
 * {@code ferry} with Ferry's traces and metrics on), {@code --out=DIR}.
 */
public final class Benchmarks {
  private Benchmarks() {}

  static final List<String> ALL =
      List.of(
          "raw",
          "ferry",
          "ferry-otel",
          "durable10",
          "durable1",
          "peer",
          "pg",
          "sb-raw",
          "sb-ferry");

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      o.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Path out = Path.of(o.getOrDefault("out", "target/benchmarks"));
    List<String> only = o.containsKey("only") ? List.of(o.get("only").split(",")) : ALL;
    List<Result> results =
        run(
            out,
            only,
            Integer.parseInt(o.getOrDefault("messages", "50000")),
            Integer.parseInt(o.getOrDefault("warmup", "10000")),
            o.getOrDefault("rates", "100,1000,5000"),
            Integer.parseInt(o.getOrDefault("backlog", "1000000")));
    print(results);
    write(results, out);
  }

  static List<Result> run(
      Path out, List<String> scenarios, int messages, int warmup, String rates, int backlog)
      throws Exception {
    List<Result> results = new ArrayList<>();
    try (BenchInfrastructure infrastructure = BenchInfrastructure.start(out)) {
      EmbeddedArtemis broker = infrastructure.broker();
      String jdbc = infrastructure.jdbcUrl();
      for (String s : scenarios) {
        results.addAll(
            fork(
                scenarioArgs(s, broker, jdbc, messages, warmup, s.equals("pg") ? "" : rates),
                broker));
      }
      if (backlog > 0) {
        results.addAll(
            fork(
                List.of(
                    "--scenario=backlog",
                    "--broker=" + broker.tcpUrl(),
                    "--jdbc=" + jdbc,
                    "--user=postgres",
                    "--messages=" + backlog),
                broker));
      }
    }
    return results;
  }

  /** A scenario process's arguments: the scenario, where broker and database are, its sizes. */
  static List<String> scenarioArgs(
      String scenario,
      EmbeddedArtemis broker,
      String jdbc,
      Object messages,
      Object warmup,
      String rates) {
    return List.of(
        "--scenario=" + scenario,
        "--broker=" + broker.tcpUrl(),
        "--jdbc=" + jdbc,
        "--user=postgres",
        "--messages=" + messages,
        "--warmup=" + warmup,
        "--rates=" + rates);
  }

  /** Runs a scenario process and collects its results; drives the broker for the backlog run. */
  private static List<Result> fork(List<String> args, EmbeddedArtemis broker) throws Exception {
    return fork(args, broker, System.getProperty("java.class.path"));
  }

  /** As {@link #fork(List, EmbeddedArtemis)}, the scenario process on {@code classpath}. */
  static List<Result> fork(List<String> args, EmbeddedArtemis broker, String classpath)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    // Extra options for the scenario processes, e.g. -Dbench.jvm=-XX:StartFlightRecording=...
    String extra = System.getProperty("bench.jvm", "");
    if (!extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", classpath, ScenarioMain.class.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<Result> results = new ArrayList<>();
    try (BufferedReader in =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter control = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          Result r = Result.parse(line.substring(7));
          results.add(r);
          System.out.printf(
              Locale.ROOT,
              "%-38s %-10s %,10.0f msg/s  p99 %8.2f ms  RSS %d MB%n",
              r.scenario(),
              r.mode(),
              r.perSecond(),
              r.p99Millis(),
              r.peakRssMb());
        } else if (line.equals("READY")) {
          broker.stop();
          control.println("BROKER-DOWN");
        } else if (line.equals("PLEASE-START-BROKER")) {
          broker.startServer();
          control.println("BROKER-UP");
        } else if (line.startsWith("PRODUCED")
            || line.contains("Exception")
            || line.startsWith("\tat ")) {
          System.out.println("  " + line);
        }
      }
    }
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("Scenario " + args.get(0) + " failed with exit code " + code);
    }
    if (!broker.isRunning()) {
      broker.startServer();
    }
    return results;
  }

  static void print(List<Result> results) {
    double rawSb =
        results.stream()
            .filter(
                r -> r.scenario().startsWith("raw Service Bus") && r.mode().equals("saturation"))
            .mapToDouble(Result::perSecond)
            .findFirst()
            .orElse(Double.NaN);
    double raw =
        results.stream()
            .filter(r -> r.scenario().startsWith("raw JMS") && r.mode().equals("saturation"))
            .mapToDouble(Result::perSecond)
            .findFirst()
            .orElse(Double.NaN);
    double peer =
        results.stream()
            .filter(r -> r.scenario().startsWith("peer") && r.mode().equals("saturation"))
            .mapToDouble(Result::perSecond)
            .findFirst()
            .orElse(Double.NaN);
    System.out.printf(
        Locale.ROOT,
        "%n%-38s %-10s %10s %7s %7s %9s %9s %9s %7s%n",
        "scenario",
        "mode",
        "msg/s",
        "x raw",
        "x peer",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "RSS MB");
    for (Result r : results) {
      boolean sat = r.mode().equals("saturation");
      System.out.printf(
          Locale.ROOT,
          "%-38s %-10s %,10.0f %7s %7s %9.2f %9.2f %9.2f %7d%n",
          r.scenario(),
          r.mode(),
          r.perSecond(),
          sat ? String.format(Locale.ROOT, "%.2f", r.perSecond() / baseline(r, raw, rawSb)) : "",
          sat ? String.format(Locale.ROOT, "%.2f", r.perSecond() / peer) : "",
          r.p50Millis(),
          r.p95Millis(),
          r.p99Millis(),
          r.peakRssMb());
      if (!r.note().isBlank()) {
        System.out.println("    " + r.note());
      }
    }
  }

  /** Service Bus runs compare with the raw SDK, everything else with raw JMS. */
  private static double baseline(Result r, double rawJms, double rawSb) {
    return r.scenario().contains("Service Bus") ? rawSb : rawJms;
  }

  static void write(List<Result> results, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder csv =
        new StringBuilder(
            "scenario,mode,messages,seconds,msg_per_s,p50_ms,p95_ms,p99_ms,peak_rss_mb,note\n");
    StringBuilder json = new StringBuilder("{\"at\":\"" + Instant.now() + "\",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "\"%s\",%s,%d,%.3f,%.1f,%.3f,%.3f,%.3f,%d,\"%s\"%n",
              r.scenario(),
              r.mode(),
              r.messages(),
              r.seconds(),
              r.perSecond(),
              r.p50Millis(),
              r.p95Millis(),
              r.p99Millis(),
              r.peakRssMb(),
              r.note()));
      json.append(i == 0 ? "" : ",").append(r.json());
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
