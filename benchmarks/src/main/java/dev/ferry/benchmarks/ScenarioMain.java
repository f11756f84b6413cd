package dev.ferry.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario in a process of its own, so that its peak RSS is its own, and prints one {@code
 * RESULT {json}} line per measurement for the benchmark process to collect.
 */
public final class ScenarioMain {
  private ScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      o.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    String broker = o.get("broker");
    int messages = Integer.parseInt(o.getOrDefault("messages", "20000"));
    int warmup = Integer.parseInt(o.getOrDefault("warmup", "0"));
    List<Integer> rates =
        o.getOrDefault("rates", "").isBlank()
            ? List.of()
            : Arrays.stream(o.get("rates").split(",")).map(Integer::valueOf).toList();
    int rateSeconds = Integer.parseInt(o.getOrDefault("rate-seconds", "5"));
    try (HikariDataSource ds = dataSource(o);
        Scenario s = scenario(o.get("scenario"), broker, ds)) {
      if (warmup > 0) {
        s.run(warmup, 0);
      }
      print(s.run(messages, 0));
      for (int rate : rates) {
        Result r = s.run(Math.max(100, Math.min(rate * rateSeconds, 50_000)), rate);
        if (r != null) {
          print(r);
        }
      }
    }
    System.exit(0);
  }

  private static void print(Result r) {
    System.out.println("RESULT " + r.withRss(Rss.peakMb()).json());
  }

  private static HikariDataSource dataSource(Map<String, String> o) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(o.get("jdbc"));
    c.setUsername(o.get("user"));
    c.setPassword(o.getOrDefault("password", ""));
    c.setMaximumPoolSize(16);
    return new HikariDataSource(c);
  }

  static Scenario scenario(String name, String broker, HikariDataSource ds) throws Exception {
    return switch (name) {
      case "raw" -> new RawJmsScenario(broker, 4);
      case "ferry" -> new FerryScenario("Ferry JMS, non-durable", broker, null, 1, 1);
      case "ferry-otel" ->
          new FerryScenario(
              "Ferry JMS, non-durable, traced", broker, null, 1, 1, BenchTelemetry.start());
      case "durable10" -> new FerryScenario("Ferry durable, tx of 10", broker, ds, 4, 10);
      case "durable1" -> new FerryScenario("Ferry durable, tx of 1", broker, ds, 4, 1);
      case "peer" -> new PeerOutboxScenario(broker, ds, 4, 10);
      case "pg" -> new PostgresCeilingScenario(ds);
      case "sb-raw" -> ServiceBusScenarios.raw(ServiceBusScenarios.startDouble());
      case "sb-ferry" -> ServiceBusScenarios.ferry(ServiceBusScenarios.startDouble());
      case "backlog" ->
          new BacklogScenario(
              broker,
              ds,
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      default -> throw new IllegalArgumentException("Unknown scenario " + name);
    };
  }
}
