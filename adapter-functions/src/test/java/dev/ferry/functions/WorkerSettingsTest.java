package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a worker finds its Service Bus connection, and fails when it has none. */
class WorkerSettingsTest {

  @Test
  void theConnectionComesFromTheAppSettingTheBuilderNames() {
    try (ServiceBusTestDouble sb = ServiceBusTestDouble.builder().queue("q").start()) {
      System.setProperty("OrdersBus", sb.connectionString());
      try (FunctionsWorker worker =
          FunctionsWorker.builder()
              .config(FerryConfig.of(Map.of("ferry.service-name", "settings")))
              .connectionSetting("OrdersBus")
              .bus(b -> b.messageTypes(Ping.class).route(Ping.class, "queue:q"))
              .build()) {
        worker.bus().send(new Ping("hello"));
        assertThat(worker.bus().awaitSent(Duration.ofSeconds(10))).isTrue();
        assertThat(sb.entity("q").activeCount()).isEqualTo(1);
      } finally {
        System.clearProperty("OrdersBus");
      }
    }
  }

  @Test
  void aWorkerWithoutAConnectionFailsToBuildNamingTheSettings() {
    assertThatThrownBy(
            () ->
                FunctionsWorker.builder()
                    .config(FerryConfig.of(Map.of("ferry.service-name", "settings")))
                    .connectionSetting("NoSuchSetting")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("NoSuchSetting")
        .hasMessageContaining("ferry.servicebus.connection-string");
  }

  /** A message for the test. */
  @dev.ferry.MessageType("settings-ping")
  public record Ping(String text) {}
}
