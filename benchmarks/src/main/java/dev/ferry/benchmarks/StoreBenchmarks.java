package dev.ferry.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the PostgreSQL envelope store costs, measured in one run against PostgreSQL on this machine
 * ({@link TransactionBenchmark}, {@link RelayDrainBenchmark}, reported by {@link StoreReport}):
 *
 * <ol>
 *   <li><b>Business transactions with one message each</b>: insert one business row and {@code
 *       bus.send} one message inside {@code FerryJdbi.useTransaction}, against the same transaction
 *       inserting only the business row, at 1 and 4 threads (one connection each). The transport
 *       does nothing, so only the store is measured; the Ferry rate counts until the sent rows have
 *       been deleted again. Target: Ferry costs at most 1.3 times the bare transaction.
 *   <li><b>Relay drain</b>: rows waiting in the outbox are claimed, sent to a transport that does
 *       nothing and deleted, against raw JDBC batched inserts (1000 per transaction) of the same
 *       rows into a table of the same shape. Target: at least 50 %.
 * </ol>
 *
 * <p>Each is run against a durable PostgreSQL (an embedded server with {@code fsync} and {@code
 * synchronous_commit} on, as in production) and the fast one the tests use ({@code fsync} off, or
 * the server in {@code FERRY_TEST_JDBC_URL}). Prints a table and writes {@code
 * target/benchmarks/store-results.csv} and {@code store-results.json}.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am test-compile exec:exec@store}. Options go in {@code
 * FERRY_STORE_BENCH} (or are the arguments when run with {@code java}): {@code --rounds=5} of
 * {@code --seconds=2} each for bare and Ferry in turn, after {@code --warmup=5} seconds of each;
 * {@code --threads=1,4}, {@code --drain-rows=50000}, {@code --pg=durable,fast}, {@code
 * --out=target/benchmarks}.
 */
public final class StoreBenchmarks {
  private StoreBenchmarks() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(List.of(args));
    String env = System.getenv("FERRY_STORE_BENCH");
    if (env != null && !env.isBlank()) {
      all.addAll(List.of(env.trim().split("\\s+")));
    }
    for (String a : all) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    Duration seconds = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("seconds", "2")));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    Duration warmup = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("warmup", "5")));
    int drainRows = Integer.parseInt(opts.getOrDefault("drain-rows", "50000"));
    Path out = Path.of(opts.getOrDefault("out", "target/benchmarks"));
    List<Integer> threads = new ArrayList<>();
    for (String t : opts.getOrDefault("threads", "1,4").split(",")) {
      threads.add(Integer.parseInt(t.trim()));
    }
    List<StoreComparison> rows = new ArrayList<>();
    for (String pg : opts.getOrDefault("pg", "durable,fast").split(",")) {
      try (StoreDatabase db = StoreDatabase.start(pg.trim())) {
        System.out.printf(
            Locale.ROOT,
            "%n== PostgreSQL: %s; load average %s ==%n",
            db.description,
            StoreReport.load());
        for (int t : threads) {
          rows.add(TransactionBenchmark.measure(db, t, seconds, rounds, warmup));
        }
        rows.addAll(RelayDrainBenchmark.measure(db, drainRows));
      }
    }
    StoreReport.print(rows);
    System.out.println("load average at the end: " + StoreReport.load());
    StoreReport.write(rows, out);
    System.exit(0);
  }
}
