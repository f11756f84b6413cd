package dev.ferry.servicebus.internal;

import dev.ferry.ConfigurationException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.FerryConfig;
import java.time.Duration;

/** Reads keys with their bounds; a value out of bounds fails naming the key. */
public final class ConfigChecks {
  private ConfigChecks() {}

  public static int atLeast(FerryConfig config, ConfigKey<Integer> key, int min) {
    int v = config.require(key);
    if (v < min) {
      throw new ConfigurationException(key.name() + " must be >= " + min + ", was " + v);
    }
    return v;
  }

  public static Duration positive(FerryConfig config, ConfigKey<Duration> key) {
    Duration d = config.require(key);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigurationException(key.name() + " must be positive, was " + d);
    }
    return d;
  }

  public static Duration nonNegative(FerryConfig config, ConfigKey<Duration> key) {
    Duration d = config.require(key);
    if (d.isNegative()) {
      throw new ConfigurationException(key.name() + " must not be negative, was " + d);
    }
    return d;
  }
}
