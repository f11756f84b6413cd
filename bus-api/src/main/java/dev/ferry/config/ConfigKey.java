package dev.ferry.config;

import dev.ferry.ConfigurationException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration key, declared once with its type, default and description. The reference in
 * {@code docs/configuration.md} is checked against the declarations, and every key names the
 * builder method that sets it in code.
 *
 * @param name the key, e.g. {@code ferry.listener.concurrency}
 * @param type the value type
 * @param defaultValue the default in text form, or null if the key has no default
 * @param description one sentence for the reference
 * @param builderMethod what sets the same value in code: a method of the builder, e.g. {@code
 *     serviceName} for {@code BusBuilder#serviceName}, or {@code Type.method} for a method of an
 *     options type the builder takes, e.g. {@code ListenerOptions.concurrency}
 * @param secret whether the value must never be logged or shown
 */
public record ConfigKey<T>(
    String name,
    Type<T> type,
    String defaultValue,
    String description,
    String builderMethod,
    boolean secret) {

  private static final Pattern NAME = Pattern.compile("ferry(\\.[a-z0-9][a-z0-9-]*)+");

  private static final Pattern BUILDER_METHOD =
      Pattern.compile("([A-Z][A-Za-z0-9]*\\.)?[a-z][A-Za-z0-9]*");

  public ConfigKey {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Config key names are ferry.lower-case.words: " + name);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(builderMethod, "builderMethod");
    if (!BUILDER_METHOD.matcher(builderMethod).matches()) {
      throw new IllegalArgumentException(
          "A builder method is method or OptionsType.method: " + builderMethod);
    }
    if (defaultValue != null) {
      type.parse(name, defaultValue); // fail at class init on a bad default
    }
  }

  public static <T> ConfigKey<T> of(
      String name, Type<T> type, String defaultValue, String description, String builderMethod) {
    return new ConfigKey<>(name, type, defaultValue, description, builderMethod, false);
  }

  public static ConfigKey<String> secret(String name, String description, String builderMethod) {
    return new ConfigKey<>(name, Type.STRING, null, description, builderMethod, true);
  }

  /**
   * The text form of a value set in code (by a builder), checked against this key's type now, at
   * the call that set it, rather than at start-up; null and bad values fail naming the key.
   */
  public String text(Object value) {
    String text = String.valueOf(Objects.requireNonNull(value, name));
    parse(text);
    return text;
  }

  /**
   * The simple name of the options type whose method {@link #builderMethod()} is, or null when it
   * is a method of the builder itself.
   */
  public String builderType() {
    int dot = builderMethod.indexOf('.');
    return dot < 0 ? null : builderMethod.substring(0, dot);
  }

  /** The name of the method that sets this key in code, without its type. */
  public String builderMethodName() {
    return builderMethod.substring(builderMethod.indexOf('.') + 1);
  }

  /** Parses a raw value; the error names this key. */
  public T parse(String raw) {
    return type.parse(name, raw);
  }

  /** The environment variable that also sets this key (MicroProfile Config's mapping). */
  public String environmentVariable() {
    return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /**
   * A value type with its parser.
   *
   * @param label the name shown in the reference
   * @param parser text to value; throws {@link IllegalArgumentException} on bad input
   */
  public record Type<T>(String label, Function<String, T> parser) {
    public static final Type<String> STRING = new Type<>("string", s -> s);
    public static final Type<Integer> INT = new Type<>("int", s -> Integer.parseInt(s.trim()));
    public static final Type<Long> LONG = new Type<>("long", s -> Long.parseLong(s.trim()));
    public static final Type<Boolean> BOOLEAN = new Type<>("boolean", Type::parseBoolean);
    public static final Type<Duration> DURATION = new Type<>("duration", Type::parseDuration);
    public static final Type<List<String>> LIST = new Type<>("list", Type::parseList);

    T parse(String key, String raw) {
      try {
        return parser.apply(raw);
      } catch (RuntimeException e) {
        throw new ConfigurationException(
            "Invalid value for " + key + " (" + label + "): '" + raw + "': " + e.getMessage(), e);
      }
    }

    private static Boolean parseBoolean(String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("false")) {
        return Boolean.valueOf(v);
      }
      throw new IllegalArgumentException("expected true or false");
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /** ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}. */
    static Duration parseDuration(String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      Matcher m = SHORT_DURATION.matcher(v);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      return Duration.parse(s.trim().toUpperCase(Locale.ROOT));
    }

    private static List<String> parseList(String s) {
      return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
  }
}
