package dev.ferry.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The values a builder sets in code, which win over configuration. Every builder of Ferry (bus,
 * transports, store, console, Functions worker) keeps its values here: a value is checked against
 * its key's type when it is set, so a bad one fails at the call that set it, naming the key.
 */
public final class ConfigOverrides {
  private final Map<String, String> values = new LinkedHashMap<>();

  /** Sets {@code key}; null and values of the wrong type fail naming the key. */
  public ConfigOverrides set(ConfigKey<?> key, Object value) {
    values.put(key.name(), key.text(value));
    return this;
  }

  /** Sets a key by name, as text; it is checked when read. */
  public ConfigOverrides set(String key, String value) {
    values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Sets every value of {@code other} here, over any this one has for the same key. */
  public ConfigOverrides setAll(ConfigOverrides other) {
    values.putAll(other.values);
    return this;
  }

  /** These values over {@code base}, or over the environment's configuration if it is null. */
  public FerryConfig over(FerryConfig base) {
    return (base != null ? base : FerryConfig.fromEnvironment()).withOverrides(values);
  }

  /** The values set so far, by key name. */
  public Map<String, String> values() {
    return Map.copyOf(values);
  }

  /** A copy, which later sets on this one do not change. */
  public ConfigOverrides copy() {
    ConfigOverrides c = new ConfigOverrides();
    c.values.putAll(values);
    return c;
  }
}
