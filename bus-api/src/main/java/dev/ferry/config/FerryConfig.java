package dev.ferry.config;

import java.util.Map;
import java.util.Optional;

/**
 * Resolved configuration. A value comes from the first of: the builder, MicroProfile Config (when
 * the host has it), system properties, environment variables ({@code FERRY_LISTENER_CONCURRENCY}
 * for {@code ferry.listener.concurrency}), {@code ferry.properties} on the classpath, the key's
 * default.
 */
public interface FerryConfig {

  /** The value, or the default; null if neither exists. */
  <T> T get(ConfigKey<T> key);

  /** The value or the default; fails naming the key if neither exists. */
  <T> T require(ConfigKey<T> key);

  /** A raw value by name, for keys with dynamic names (e.g. per-endpoint settings). */
  Optional<String> raw(String name);

  /** Every raw value under a prefix such as {@code ferry.endpoint.}, from all sources. */
  Map<String, String> withPrefix(String prefix);

  /** Configuration from system properties, environment and {@code ferry.properties} only. */
  static FerryConfig fromEnvironment() {
    return dev.ferry.internal.config.LayeredConfig.create(Map.of());
  }

  /** Configuration from a map first, then the usual sources. Handy in tests. */
  static FerryConfig of(Map<String, String> values) {
    return dev.ferry.internal.config.LayeredConfig.create(values);
  }
}
