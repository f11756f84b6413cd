package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.build.GeneratedDocs;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigReference;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  @Test
  void referenceDocumentMatchesTheDeclarations() throws Exception {
    GeneratedDocs.checkConfigurationSection(
        "core", ConfigReference.markdown(FerryKeys.all(), BusBuilder.class));
  }

  @Test
  void anObserverNamedInTheConfigurationMustBeOnTheClassPath() {
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .localBroker(java.util.UUID.randomUUID().toString())
                    .observers("opentelemetry")
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.observers names 'opentelemetry'")
        .hasMessageContaining("ferry-opentelemetry");
  }

  @Test
  void explicitValuesWinOverSystemPropertiesOverPropertiesFile() {
    // ferry.properties on the test classpath sets ferry.service-name=from-file and
    // ferry.request.timeout=5s; MicroProfile Config (SmallRye, test scope) also sees both.
    assertThat(FerryConfig.of(Map.of()).get(FerryKeys.SERVICE_NAME)).isEqualTo("from-file");
    System.setProperty("ferry.service-name", "from-system");
    try {
      assertThat(FerryConfig.of(Map.of()).get(FerryKeys.SERVICE_NAME)).isEqualTo("from-system");
      assertThat(
              FerryConfig.of(Map.of("ferry.service-name", "explicit")).get(FerryKeys.SERVICE_NAME))
          .isEqualTo("explicit");
    } finally {
      System.clearProperty("ferry.service-name");
    }
    assertThat(FerryConfig.of(Map.of()).get(FerryKeys.REQUEST_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void microProfileConfigIsASourceWhenPresent() {
    assertThat(FerryConfig.of(Map.of()).raw("ferry.test.mp-only")).hasValue("from-microprofile");
  }

  @Test
  void defaultsApplyWhenNothingIsSet() {
    FerryConfig c = FerryConfig.of(Map.of());
    assertThat(c.get(FerryKeys.TRANSPORT)).isEqualTo("local");
    assertThat(c.get(FerryKeys.LISTENER_CONCURRENCY)).isEqualTo(4);
    assertThat(c.get(FerryKeys.NODE_ID)).isNull();
  }

  @Test
  void durationsAcceptIsoAndShortForms() {
    assertThat(ConfigKey.Type.DURATION.parser().apply("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ConfigKey.Type.DURATION.parser().apply("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ConfigKey.Type.DURATION.parser().apply("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ConfigKey.Type.LIST.parser().apply(" a, b ,,c")).isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void invalidValuesNameTheKey() {
    FerryConfig c = FerryConfig.of(Map.of("ferry.sender.timeout", "soon"));
    assertThatThrownBy(() -> c.get(FerryKeys.SEND_TIMEOUT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.sender.timeout (duration): 'soon'");
    assertThatThrownBy(
            () ->
                MessageBus.builder().listeners(ListenerOptions.defaults().concurrency(-1)).build())
        .hasMessageContaining("ferry.listener.concurrency");
  }

  @Test
  void environmentVariableNamesFollowMicroProfile() {
    assertThat(FerryKeys.LISTENER_CONCURRENCY.environmentVariable())
        .isEqualTo("FERRY_LISTENER_CONCURRENCY");
  }

  @Test
  void prefixLookupMergesSources() {
    FerryConfig c = FerryConfig.of(Map.of("ferry.endpoint.orders.concurrency", "8"));
    assertThat(c.withPrefix("ferry.endpoint."))
        .containsEntry("ferry.endpoint.orders.concurrency", "8");
  }

  @Test
  void secretsAreFlaggedForTheReference() {
    ConfigKey<String> secret = ConfigKey.secret("ferry.test.password", "A password.", "password");
    assertThat(secret.secret()).isTrue();
    assertThat(ConfigReference.markdown(List.of(secret), WithPassword.class))
        .contains("never logged");
  }

  /** A builder with the secret's method, as a store's builder has. */
  public static final class WithPassword {
    public WithPassword password(String password) {
      return this;
    }
  }
}
