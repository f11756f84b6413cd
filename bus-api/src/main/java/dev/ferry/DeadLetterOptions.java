package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;
import java.time.Duration;

/**
 * Where dead letters go and how long they are kept; for {@link
 * BusBuilder#deadLetters(DeadLetterOptions)}. Immutable: each setter returns a new instance, and
 * only the values set override configuration.
 */
public final class DeadLetterOptions extends BusOptions<DeadLetterOptions> {
  private static final DeadLetterOptions DEFAULTS = new DeadLetterOptions(new ConfigOverrides());

  private DeadLetterOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static DeadLetterOptions defaults() {
    return DEFAULTS;
  }

  @Override
  DeadLetterOptions create(ConfigOverrides values) {
    return new DeadLetterOptions(values);
  }

  /**
   * {@code ferry.dead-letter.native}: use the transport's own dead-letter queue instead of the
   * store's dead letters.
   */
  public DeadLetterOptions nativeQueue(boolean nativeQueue) {
    return with(FerryKeys.NATIVE_DEAD_LETTER, nativeQueue);
  }

  /** {@code ferry.dead-letter.retention}: how long dead letters are kept before a purge. */
  public DeadLetterOptions retention(Duration retention) {
    return with(FerryKeys.DEAD_LETTER_RETENTION, retention);
  }
}
