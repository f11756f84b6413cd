package dev.ferry.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.FerryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, small: every flow ends with nothing lost and nothing handled twice. */
class DemoAppTest {

  @Test
  void everyFlowPassesOnEmbeddedInfrastructure(@TempDir Path dir) throws Exception {
    List<DemoApp.FlowResult> results =
        DemoApp.run(FerryConfig.of(Map.of()), dir, 10, 30, Duration.ofSeconds(60));
    assertThat(results)
        .hasSize(5)
        .allSatisfy(
            r -> {
              assertThat(r.passed()).as(r.toString()).isTrue();
              assertThat(r.lost()).isZero();
              assertThat(r.duplicates()).isZero();
            });
    assertThat(results.get(1).note()).contains("dead-lettered: handler-failed");
  }
}
