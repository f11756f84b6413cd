package dev.ferry.config;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The reference table of configuration keys, rendered from their declarations: name, type, default,
 * builder equivalent, description and environment variable, one Markdown row per key. {@code
 * docs/configuration.md} is made of these tables, one per module; an adapter of its own can
 * document its keys the same way.
 */
public final class ConfigReference {
  private ConfigReference() {}

  /**
   * The table of {@code keys}, whose builder methods belong to {@code builder} (or to an options
   * type one of its methods takes).
   *
   * @throws IllegalStateException naming the key, when a key names a builder method that does not
   *     exist, so that the reference never points to a method users cannot call
   */
  public static String markdown(List<ConfigKey<?>> keys, Class<?> builder) {
    StringBuilder sb = new StringBuilder();
    sb.append("| Key | Type | Default | Builder | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    for (ConfigKey<?> k : keys) {
      Class<?> owner = builderMethodOwner(k, builder);
      sb.append("| `")
          .append(k.name())
          .append("` | ")
          .append(k.type().label())
          .append(" | ")
          .append(k.defaultValue() == null ? "–" : "`" + k.defaultValue() + "`")
          .append(" | `")
          .append(owner.getSimpleName())
          .append('.')
          .append(k.builderMethodName())
          .append("` | ")
          .append(k.secret() ? "**Secret, never logged.** " : "")
          .append(k.description().replace("|", "\\|"))
          .append(" Environment: `")
          .append(k.environmentVariable())
          .append("`. |\n");
    }
    return sb.toString();
  }

  /** The class that declares the key's builder method; fails if there is none. */
  private static Class<?> builderMethodOwner(ConfigKey<?> k, Class<?> builder) {
    Class<?> owner = builder;
    if (k.builderType() != null) {
      // An options type counts only when the builder has a method that takes it.
      owner =
          instanceMethods(builder)
              .flatMap(m -> Arrays.stream(m.getParameterTypes()))
              .filter(t -> t.getSimpleName().equals(k.builderType()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          k.name()
                              + " names options type "
                              + k.builderType()
                              + ", which no method of "
                              + builder.getSimpleName()
                              + " takes"));
    }
    // On an options type only its setters count: they return the options.
    Class<?> type = owner;
    boolean declared =
        instanceMethods(owner)
            .filter(m -> type == builder || m.getReturnType() == type)
            .anyMatch(m -> m.getName().equals(k.builderMethodName()));
    if (!declared) {
      throw new IllegalStateException(
          k.name()
              + " declares builder method "
              + owner.getSimpleName()
              + "."
              + k.builderMethodName()
              + ", which does not exist");
    }
    return owner;
  }

  private static Stream<Method> instanceMethods(Class<?> type) {
    return Arrays.stream(type.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()));
  }
}
