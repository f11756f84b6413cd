package dev.ferry.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness counts what it measures; timing is not asserted here (that is the benchmark's job).
 */
class BenchmarksSmokeTest {

  @Test
  void everyScenarioMovesEveryMessageAndWritesItsFiles(@TempDir Path dir) throws Exception {
    List<Result> results = Benchmarks.run(300, 0, "", dir.resolve("artemis"));
    assertThat(results)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.messages()).isEqualTo(300);
              assertThat(r.perSecond()).isPositive();
              assertThat(r.p99Millis()).isGreaterThanOrEqualTo(r.p50Millis());
            });
    Benchmarks.write(results, dir);
    assertThat(Files.readAllLines(dir.resolve("results.csv"))).hasSize(results.size() + 1);
    assertThat(Files.readString(dir.resolve("results.json"))).contains("\"msgPerSecond\"");
  }
}
