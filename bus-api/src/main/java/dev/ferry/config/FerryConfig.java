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

  /**
   * This configuration with {@code values} laid over it: a key given there wins, every other key is
   * read here. Builders use it so that what is set in code beats every other source.
   */
  default FerryConfig withOverrides(Map<String, String> values) {
    FerryConfig base = this;
    Map<String, String> given = Map.copyOf(values);
    return new FerryConfig() {
      @Override
      public <T> T get(ConfigKey<T> key) {
        String v = given.get(key.name());
        return v != null ? key.parse(v) : base.get(key);
      }

      @Override
      public <T> T require(ConfigKey<T> key) {
        String v = given.get(key.name());
        return v != null ? key.parse(v) : base.require(key);
      }

      @Override
      public Optional<String> raw(String name) {
        String v = given.get(name);
        return v != null ? Optional.of(v) : base.raw(name);
      }

      @Override
      public Map<String, String> withPrefix(String prefix) {
        Map<String, String> m = new java.util.TreeMap<>(base.withPrefix(prefix));
        given.forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                m.put(k, v);
              }
            });
        return m;
      }
    };
  }

  /** Configuration from system properties, environment and {@code ferry.properties} only. */
  static FerryConfig fromEnvironment() {
    return dev.ferry.internal.config.LayeredConfig.create(Map.of());
  }

  /** Configuration from a map first, then the usual sources. Handy in tests. */
  static FerryConfig of(Map<String, String> values) {
    return dev.ferry.internal.config.LayeredConfig.create(values);
  }
}
