package dev.ferry.jdbi.internal;

import dev.ferry.ConfigurationException;
import java.util.regex.Pattern;

/**
 * SQL identifiers taken from configuration. They are validated against a strict pattern before they
 * reach any statement text, and then always quoted.
 */
public final class Identifiers {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Identifiers() {}

  /**
   * Returns {@code name} if it is a valid schema name: lower-case letters, digits and underscores,
   * starting with a letter or underscore, at most 63 characters, not starting with {@code pg_}.
   *
   * @throws ConfigurationException naming {@code key} otherwise
   */
  public static String checkSchema(String name, String key) {
    if (name == null || !IDENTIFIER.matcher(name).matches() || name.startsWith("pg_")) {
      throw new ConfigurationException(
          "Invalid value for "
              + key
              + ": '"
              + name
              + "' is not an acceptable schema name (lower-case letters, digits and '_', starting"
              + " with a letter or '_', at most 63 characters, not starting with 'pg_')");
    }
    return name;
  }

  /** The quoted form of a validated identifier. */
  static String quote(String identifier) {
    return '"' + identifier + '"';
  }
}
