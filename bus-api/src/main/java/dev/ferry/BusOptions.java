package dev.ferry;

import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import java.util.TreeMap;

/**
 * What the groups of tuning options share: the configuration keys set so far, each checked against
 * its key when it was set (as {@link ConfigOverrides} does), so a bad value fails at the call that
 * set it. An instance never changes: a setter returns a copy holding one more value. Only the keys
 * set override configuration; every other key keeps the value of its other sources.
 *
 * @param <O> the options type itself, which setters return
 */
abstract sealed class BusOptions<O extends BusOptions<O>>
    permits ListenerOptions,
        SenderOptions,
        OutboxOptions,
        RequestOptions,
        DeadLetterOptions,
        InMemoryOptions {
  // Never changed after construction; setters copy it.
  private final ConfigOverrides values;

  BusOptions(ConfigOverrides values) {
    this.values = values;
  }

  /** An instance of the same type holding {@code values}. */
  abstract O create(ConfigOverrides values);

  /** A copy with {@code key} set; null and values of the wrong type fail naming the key. */
  final O with(ConfigKey<?> key, Object value) {
    return create(values.copy().set(key, value));
  }

  /** Sets the values set here in {@code target}, over any it has for the same keys. */
  final void applyTo(ConfigOverrides target) {
    target.setAll(values);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && ((BusOptions<?>) o).values.values().equals(values.values());
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode() * 31 + values.values().hashCode();
  }

  /** The type and the keys set, e.g. {@code ListenerOptions{ferry.listener.concurrency=8}}. */
  @Override
  public final String toString() {
    return getClass().getSimpleName() + new TreeMap<>(values.values());
  }
}
