package dev.ferry.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.FerryConfig;
import dev.ferry.testkit.EmbeddedArtemis;
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
    assertEveryFlowPassed(results);
    assertThat(results.get(1).note())
        .contains("dead-lettered: handler-failed")
        .endsWith("after 4 attempts");
    // The durable notes really waited in the outbox while the broker was down.
    assertThat(results.get(4).note()).matches("[1-9][0-9]* waited in the outbox.*");
  }

  /** What docs/demo.md promises: an external broker by configuration alone. */
  @Test
  void runsOnABrokerNamedByConfiguration(@TempDir Path dir) throws Exception {
    try (EmbeddedArtemis external =
        EmbeddedArtemis.builder().dataDirectory(dir.resolve("external-broker")).start()) {
      List<DemoApp.FlowResult> results =
          DemoApp.run(
              FerryConfig.of(Map.of("ferry.jms.url", external.tcpUrl())),
              dir.resolve("demo"),
              5,
              5,
              Duration.ofSeconds(60));
      assertThat(results).allSatisfy(r -> assertThat(r.passed()).as(r.toString()).isTrue());
      assertThat(results.get(4).note()).isEqualTo("skipped: the broker is external");
      assertThat(dir.resolve("demo/artemis")).doesNotExist();
    }
  }

  /** All five flows passed, none lost a message or handled one twice. */
  static void assertEveryFlowPassed(List<DemoApp.FlowResult> results) {
    assertThat(results)
        .hasSize(5)
        .allSatisfy(
            r -> {
              assertThat(r.passed()).as(r.toString()).isTrue();
              assertThat(r.lost()).isZero();
              assertThat(r.duplicates()).isZero();
            });
  }
}
