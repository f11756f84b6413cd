package dev.ferry.internal.config;

import dev.ferry.ConfigurationException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.FerryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Resolves keys from, in order: explicit values (the builder), MicroProfile Config, system
 * properties, environment variables, {@code ferry.properties} on the classpath.
 */
public final class LayeredConfig implements FerryConfig {

  /** One layer: a name and a lookup that returns null when the layer lacks the key. */
  private record Layer(String name, Function<String, String> lookup, Map<String, String> all) {}

  private final List<Layer> layers;

  private LayeredConfig(List<Layer> layers) {
    this.layers = layers;
  }

  public static LayeredConfig create(Map<String, String> explicit) {
    List<Layer> layers = new ArrayList<>();
    Map<String, String> given = Map.copyOf(explicit);
    layers.add(new Layer("builder", given::get, given));
    MicroProfileConfigLayer.lookup()
        .ifPresent(mp -> layers.add(new Layer("microprofile-config", mp, Map.of())));
    layers.add(new Layer("system-properties", System::getProperty, systemProperties()));
    Map<String, String> env = System.getenv();
    layers.add(new Layer("environment", name -> fromEnvironment(env, name), Map.of()));
    Map<String, String> file = loadPropertiesFile();
    layers.add(new Layer("ferry.properties", file::get, file));
    return new LayeredConfig(List.copyOf(layers));
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> m = new TreeMap<>();
    System.getProperties().forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
    return m;
  }

  private static String fromEnvironment(Map<String, String> env, String name) {
    String exact = env.get(name);
    if (exact != null) {
      return exact;
    }
    String underscored = name.replaceAll("[^A-Za-z0-9]", "_");
    String v = env.get(underscored);
    return v != null ? v : env.get(underscored.toUpperCase(Locale.ROOT));
  }

  private static Map<String, String> loadPropertiesFile() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = LayeredConfig.class.getClassLoader();
    }
    try (InputStream in = cl.getResourceAsStream("ferry.properties")) {
      if (in == null) {
        return Map.of();
      }
      Properties p = new Properties();
      p.load(in);
      Map<String, String> m = new LinkedHashMap<>();
      p.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v).trim()));
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read ferry.properties", e);
    }
  }

  @Override
  public Optional<String> raw(String name) {
    for (Layer layer : layers) {
      String v = layer.lookup().apply(name);
      if (v != null && !v.isBlank()) {
        return Optional.of(v.trim());
      }
    }
    return Optional.empty();
  }

  @Override
  public <T> T get(ConfigKey<T> key) {
    Optional<String> v = raw(key.name());
    if (v.isPresent()) {
      return key.parse(v.get());
    }
    return key.defaultValue() == null ? null : key.parse(key.defaultValue());
  }

  @Override
  public <T> T require(ConfigKey<T> key) {
    T v = get(key);
    if (v == null) {
      throw new ConfigurationException(
          "Missing configuration: "
              + key.name()
              + " (environment variable "
              + key.environmentVariable()
              + ", or builder method "
              + key.builderMethod()
              + "): "
              + key.description());
    }
    return v;
  }

  @Override
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    // Lowest priority first so that higher layers overwrite.
    for (int i = layers.size() - 1; i >= 0; i--) {
      layers
          .get(i)
          .all()
          .forEach(
              (k, v) -> {
                if (k.startsWith(prefix)) {
                  result.put(k, v);
                }
              });
    }
    MicroProfileConfigLayer.names().stream()
        .filter(n -> n.startsWith(prefix) && !result.containsKey(n))
        .forEach(n -> raw(n).ifPresent(v -> result.put(n, v)));
    return result;
  }
}
