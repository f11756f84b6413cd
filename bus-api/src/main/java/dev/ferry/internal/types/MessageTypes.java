package dev.ferry.internal.types;

import dev.ferry.MessageType;
import dev.ferry.UnknownMessageTypeException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The allowlist of message types: alias to class and back. Nothing read from the wire can name a
 * class that is not registered here.
 */
public final class MessageTypes {
  private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._\\-]{0,199}");

  private final Map<String, Class<?>> byAlias = new ConcurrentHashMap<>();
  private final Map<Class<?>, String> byClass = new ConcurrentHashMap<>();

  /** Registers a class by its {@link MessageType} annotation; idempotent. */
  public String register(Class<?> type) {
    String known = byClass.get(type);
    if (known != null) {
      return known;
    }
    MessageType annotation = type.getAnnotation(MessageType.class);
    if (annotation == null) {
      throw new UnknownMessageTypeException(
          type.getName()
              + " has no @MessageType alias. Annotate it, e.g. @MessageType(\"orders.order-placed.v1\")"
              + ", or register it with an explicit alias.");
    }
    return register(annotation.value(), type);
  }

  /** Registers a class under an explicit alias. */
  public synchronized String register(String alias, Class<?> type) {
    if (!ALIAS.matcher(alias).matches()) {
      throw new IllegalArgumentException(
          "Invalid message alias '"
              + alias
              + "' for "
              + type.getName()
              + ": use lower-case letters, digits, '.', '-' and '_'");
    }
    Class<?> existing = byAlias.get(alias);
    if (existing != null && existing != type) {
      throw new IllegalArgumentException(
          "Alias '"
              + alias
              + "' is already registered for "
              + existing.getName()
              + ", cannot also register "
              + type.getName());
    }
    String existingAlias = byClass.get(type);
    if (existingAlias != null && !existingAlias.equals(alias)) {
      throw new IllegalArgumentException(
          type.getName() + " is already registered as '" + existingAlias + "'");
    }
    byAlias.put(alias, type);
    byClass.put(type, alias);
    return alias;
  }

  /** The alias of a message's class; registers annotated classes on first use. */
  public String aliasOf(Class<?> type) {
    String alias = byClass.get(type);
    return alias != null ? alias : register(type);
  }

  public Optional<Class<?>> classOf(String alias) {
    return Optional.ofNullable(alias == null ? null : byAlias.get(alias));
  }

  public Map<String, Class<?>> all() {
    return Collections.unmodifiableMap(byAlias);
  }
}
