package dev.ferry.benchmarks;

import dev.ferry.testkit.EmbeddedArtemis;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The saturation scenarios of two builds in one run: a baseline (another revision's classpath) and
 * this one, on the same broker and database, in alternating order round by round (baseline first in
 * odd rounds, this build first in even ones), so that drift of the machine falls on both alike.
 * Prints one table: each scenario's median msg/s before and after, their ratio, and each side's
 * spread over the rounds. {@code benchmarks/compare-revisions.sh} builds the baseline and runs
 * this.
 *
 * <p>Arguments: {@code --baseline-classpath=TEXT} (required), {@code --baseline-name=TEXT}, {@code
 * --rounds=N} (default 3), {@code --only=raw,ferry,durable10} (the default), {@code --messages=N}
 * (default 20000), {@code --warmup=N} (default 5000), {@code --out=DIR}.
 */
public final class RevisionComparison {
  private RevisionComparison() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      o.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    String baseline = o.get("baseline-classpath");
    if (baseline == null || baseline.isBlank()) {
      throw new IllegalArgumentException("--baseline-classpath is required");
    }
    String baselineName = o.getOrDefault("baseline-name", "baseline");
    String current = System.getProperty("java.class.path");
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
    List<String> scenarios = List.of(o.getOrDefault("only", "raw,ferry,durable10").split(","));
    String messages = o.getOrDefault("messages", "20000");
    String warmup = o.getOrDefault("warmup", "5000");
    Path out = Path.of(o.getOrDefault("out", "target/benchmarks-comparison"));

    Map<String, List<Double>> before = new LinkedHashMap<>();
    Map<String, List<Double>> after = new LinkedHashMap<>();
    try (BenchInfrastructure infrastructure = BenchInfrastructure.start(out)) {
      EmbeddedArtemis broker = infrastructure.broker();
      String jdbc = infrastructure.jdbcUrl();
      for (int round = 1; round <= rounds; round++) {
        for (String s : scenarios) {
          List<String> scenarioArgs =
              Benchmarks.scenarioArgs(s, broker, jdbc, messages, warmup, "");
          boolean baselineFirst = round % 2 == 1;
          for (int side = 0; side < 2; side++) {
            boolean isBaseline = (side == 0) == baselineFirst;
            System.out.printf(
                "round %d/%d, %s: %s%n",
                round, rounds, isBaseline ? baselineName : "this build", s);
            for (Result r :
                Benchmarks.fork(scenarioArgs, broker, isBaseline ? baseline : current)) {
              if (r.mode().equals("saturation")) {
                (isBaseline ? before : after)
                    .computeIfAbsent(r.scenario(), k -> new ArrayList<>())
                    .add(r.perSecond());
              }
            }
          }
        }
      }
    }
    print(baselineName, rounds, before, after);
  }

  private static void print(
      String baselineName,
      int rounds,
      Map<String, List<Double>> before,
      Map<String, List<Double>> after) {
    String raw =
        after.keySet().stream().filter(k -> k.startsWith("raw JMS")).findFirst().orElse(null);
    System.out.printf(
        Locale.ROOT,
        "%nSaturation msg/s, median of %d rounds (min-max); before = %s, after = this build."
            + "%nx raw: the scenario over raw JMS of the same build and round (machine drift"
            + " cancels out).%n",
        rounds,
        baselineName);
    System.out.printf(
        Locale.ROOT,
        "%-30s %10s %19s %10s %19s %8s %10s %10s%n",
        "scenario",
        "before",
        "",
        "after",
        "",
        "after/before",
        "x raw bef.",
        "x raw aft.");
    for (String scenario : after.keySet()) {
      List<Double> b = before.getOrDefault(scenario, List.of());
      List<Double> a = after.get(scenario);
      System.out.printf(
          Locale.ROOT,
          "%-30s %,10.0f %19s %,10.0f %19s %8s %10s %10s%n",
          scenario,
          median(b),
          spread(b),
          median(a),
          spread(a),
          b.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", median(a) / median(b)),
          ratioToRaw(b, raw == null ? null : before.get(raw)),
          ratioToRaw(a, raw == null ? null : after.get(raw)));
    }
  }

  /** The median over rounds of {@code values[i] / raw[i]}. */
  private static String ratioToRaw(List<Double> values, List<Double> raw) {
    if (raw == null || raw.size() != values.size() || values.isEmpty()) {
      return "";
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      ratios.add(values.get(i) / raw.get(i));
    }
    return String.format(Locale.ROOT, "%.2f", median(ratios));
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String spread(List<Double> values) {
    if (values.isEmpty()) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "(%,.0f-%,.0f)",
        values.stream().min(Comparator.naturalOrder()).orElseThrow(),
        values.stream().max(Comparator.naturalOrder()).orElseThrow());
  }
}
