package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceBusEntitiesTest {

  @Test
  void namesTheEntitiesThatDoNotExist() {
    try (ServiceBusTestDouble sb =
        ServiceBusTestDouble.builder()
            .queue("orders")
            .topic("events", TopicSettings.defaults().withSubscription("billing"))
            .start()) {
      FerryConfig config =
          FerryConfig.of(Map.of("ferry.servicebus.connection-string", sb.connectionString()));
      List<Address> missing =
          ServiceBusEntities.missing(
              config,
              List.of(
                  Address.queue("orders"),
                  Address.queue("ORDERS.shipping"),
                  Address.subscription("events", "billing"),
                  Address.subscription("events", "email")));
      assertThat(missing)
          .containsExactly(
              Address.queue("ORDERS.shipping"), Address.subscription("events", "email"));
      assertThat(missing.stream().map(ServiceBusEntities::describe))
          .containsExactly("queue ORDERS.shipping", "topic events with subscription email");
    }
  }

  @Test
  void missingConnectionKeysAreAConfigurationError() {
    assertThatThrownBy(() -> ServiceBusEntities.missing(FerryConfig.of(Map.of()), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.servicebus.connection-string");
  }
}
