package dev.ferry.internal.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * MicroProfile Config as a layer when the host provides an implementation. The API is an optional
 * dependency: this class is only touched after checking it is on the classpath.
 */
final class MicroProfileConfigLayer {
  private MicroProfileConfigLayer() {}

  private static boolean available() {
    try {
      Class.forName(
          "org.eclipse.microprofile.config.ConfigProvider",
          false,
          MicroProfileConfigLayer.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  static Optional<Function<String, String>> lookup() {
    if (!available()) {
      return Optional.empty();
    }
    Optional<Config> config = config();
    return config.map(c -> name -> c.getOptionalValue(name, String.class).orElse(null));
  }

  static List<String> names() {
    if (!available()) {
      return List.of();
    }
    return config()
        .map(c -> StreamSupport.stream(c.getPropertyNames().spliterator(), false).toList())
        .orElse(List.of());
  }

  private static Optional<Config> config() {
    try {
      return Optional.of(ConfigProvider.getConfig());
    } catch (IllegalStateException | LinkageError e) {
      // The API is present but no implementation is: not a MicroProfile host.
      return Optional.empty();
    }
  }
}
