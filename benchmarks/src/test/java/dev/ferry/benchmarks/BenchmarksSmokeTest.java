package dev.ferry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness counts what it measures, in scenario processes of their own; timing is not asserted
 * here (that is the benchmark's job).
 */
class BenchmarksSmokeTest {

  @Test
  void everyScenarioMovesEveryMessageAndWritesItsFiles(@TempDir Path dir) throws Exception {
    // No fixed-rate runs: each scenario process costs its start-up, and the rate loop is the same
    // code as saturation with pauses (.ci/run runs one rate through the documented command).
    List<Result> results = Benchmarks.run(dir, Benchmarks.ALL, 300, 0, "", 300);
    assertThat(results)
        .extracting(Result::scenario)
        .contains(
            "raw JMS, tx batches of 100",
            "Ferry JMS, non-durable",
            "Ferry durable, tx of 10",
            "Ferry durable, tx of 1",
            "peer: gruelbox outbox, tx of 10",
            "PostgreSQL ceiling, batched inserts",
            "backlog while the broker is down");
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.perSecond()).isPositive();
              assertThat(r.peakRssMb()).isPositive();
            });
    assertThat(results)
        .filteredOn(r -> r.mode().equals("saturation"))
        .allSatisfy(r -> assertThat(r.messages()).isEqualTo(300));
    assertThat(results)
        .filteredOn(r -> r.mode().equals("backlog"))
        .singleElement()
        .satisfies(r -> assertThat(r.note()).contains("handled 300, duplicates 0, lost 0"));
    Benchmarks.write(results, dir);
    assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(results.size() + 1);
  }
}
