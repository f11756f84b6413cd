package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.ConfigReference;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The options types of {@link BusBuilder}: what they set, what they leave to configuration. */
class BusOptionsTest {

  /** The configuration a builder would see with {@code options} over {@code base}. */
  private static FerryConfig over(Map<String, String> base, BusOptions<?>... options) {
    ConfigOverrides overrides = new ConfigOverrides();
    for (BusOptions<?> o : options) {
      o.applyTo(overrides);
    }
    return overrides.over(FerryConfig.of(base));
  }

  @Test
  void anUnsetValueFallsThroughToConfiguration() {
    FerryConfig c =
        over(
            Map.of("ferry.listener.prefetch", "64"),
            ListenerOptions.defaults().concurrency(8),
            // ferry.properties on the test class path sets ferry.request.timeout=5s
            RequestOptions.defaults().maxPending(7));
    assertThat(c.get(FerryKeys.LISTENER_PREFETCH)).isEqualTo(64);
    assertThat(c.get(FerryKeys.LISTENER_MAX_BATCH)).isEqualTo(1);
    assertThat(c.get(FerryKeys.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(FerryKeys.DEAD_LETTER_RETENTION)).isNull();
  }

  @Test
  void aSetValueWinsOverConfiguration() {
    FerryConfig c =
        over(
            Map.of("ferry.listener.concurrency", "2", "ferry.sender.timeout", "1s"),
            ListenerOptions.defaults().concurrency(8).handlerTimeout(Duration.ofSeconds(3)),
            SenderOptions.defaults().timeout(Duration.ofMillis(250)).parallelism(1),
            OutboxOptions.defaults().lease(Duration.ofSeconds(9)).batchSize(50),
            RequestOptions.defaults().timeout(Duration.ofSeconds(1)),
            DeadLetterOptions.defaults().nativeQueue(true).retention(Duration.ofDays(3)),
            InMemoryOptions.defaults().outboxCapacity(10).queueCapacity(20));
    assertThat(c.get(FerryKeys.LISTENER_CONCURRENCY)).isEqualTo(8);
    assertThat(c.get(FerryKeys.HANDLER_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.get(FerryKeys.SEND_TIMEOUT)).isEqualTo(Duration.ofMillis(250));
    assertThat(c.get(FerryKeys.SENDER_PARALLELISM)).isEqualTo(1);
    assertThat(c.get(FerryKeys.OUTBOX_LEASE)).isEqualTo(Duration.ofSeconds(9));
    assertThat(c.get(FerryKeys.OUTBOX_BATCH)).isEqualTo(50);
    assertThat(c.get(FerryKeys.REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.get(FerryKeys.NATIVE_DEAD_LETTER)).isTrue();
    assertThat(c.get(FerryKeys.DEAD_LETTER_RETENTION)).isEqualTo(Duration.ofDays(3));
    assertThat(c.get(FerryKeys.MEMORY_OUTBOX_CAPACITY)).isEqualTo(10);
    assertThat(c.get(FerryKeys.LOCAL_QUEUE_CAPACITY)).isEqualTo(20);
  }

  @Test
  void settersReturnACopyAndLeaveTheOriginalAsItWas() {
    ListenerOptions none = ListenerOptions.defaults();
    ListenerOptions eight = none.concurrency(8);
    ListenerOptions both = eight.prefetch(32);

    assertThat(none).isEqualTo(ListenerOptions.defaults()).isNotEqualTo(eight);
    assertThat(eight).isEqualTo(ListenerOptions.defaults().concurrency(8)).isNotEqualTo(both);
    assertThat(eight).hasToString("ListenerOptions{ferry.listener.concurrency=8}");
    assertThat(over(Map.of(), none).get(FerryKeys.LISTENER_CONCURRENCY)).isEqualTo(4);
    FerryConfig c = over(Map.of(), eight);
    assertThat(c.get(FerryKeys.LISTENER_CONCURRENCY)).isEqualTo(8);
    assertThat(c.get(FerryKeys.LISTENER_PREFETCH)).isEqualTo(16);
    assertThat(over(Map.of(), both).get(FerryKeys.LISTENER_PREFETCH)).isEqualTo(32);
  }

  @Test
  void aBuilderTakesTheValuesOfEachCallAndALaterValueWins() {
    String broker = UUID.randomUUID().toString();
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .localBroker(broker)
                    .listeners(ListenerOptions.defaults().concurrency(0))
                    .listeners(ListenerOptions.defaults().prefetch(4))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.listener.concurrency must be >= 1, was 0");
    assertThatNoException()
        .isThrownBy(
            () ->
                MessageBus.builder()
                    .localBroker(broker)
                    .listeners(ListenerOptions.defaults().concurrency(0))
                    .listeners(ListenerOptions.defaults().concurrency(2))
                    .build()
                    .close());
  }

  @Test
  void invalidValuesFailAsTheyDidOnTheBuilder() {
    // Null fails at the setter, naming the key, as the builder's setters did.
    assertThatThrownBy(() -> SenderOptions.defaults().timeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ferry.sender.timeout");
    assertThatThrownBy(() -> OutboxOptions.defaults().pollInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ferry.outbox.poll-interval");
    assertThatThrownBy(() -> MessageBus.builder().listeners(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners");
    // Ranges are checked at start-up, with the other sources' values.
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .localBroker(UUID.randomUUID().toString())
                    .sender(SenderOptions.defaults().batchSize(0))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.sender.batch-size must be >= 1, was 0");
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .localBroker(UUID.randomUUID().toString())
                    .requests(RequestOptions.defaults().maxPending(-1))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.request.max-pending must be >= 1, was -1");
  }

  @Test
  void theReferenceCheckFindsEachOptionsMethodThroughTheBuilder() {
    ConfigKey<Integer> noSuchMethod =
        ConfigKey.of("ferry.test.a", ConfigKey.Type.INT, null, "A.", "ListenerOptions.nothing");
    ConfigKey<Integer> noSuchType =
        ConfigKey.of("ferry.test.b", ConfigKey.Type.INT, null, "B.", "NoOptions.concurrency");
    assertThatThrownBy(() -> ConfigReference.markdown(List.of(noSuchMethod), BusBuilder.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ListenerOptions.nothing");
    assertThatThrownBy(() -> ConfigReference.markdown(List.of(noSuchType), BusBuilder.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no method of BusBuilder takes");
    assertThat(ConfigReference.markdown(List.of(FerryKeys.LISTENER_CONCURRENCY), BusBuilder.class))
        .contains("`ListenerOptions.concurrency`");
    assertThat(ConfigReference.markdown(List.of(FerryKeys.SERVICE_NAME), BusBuilder.class))
        .contains("`BusBuilder.serviceName`");
  }
}
