package dev.ferry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.config.ConfigKey;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps {@code docs/configuration.md} generated from the key declarations. Each module owns a
 * section between {@code <!-- keys:NAME -->} and {@code <!-- /keys:NAME -->}. Run a module's docs
 * test with {@code -Dferry.docs.write=true} to rewrite its section.
 */
public final class ConfigReference {
  private ConfigReference() {}

  /** The repository's docs/configuration.md, found from a module directory. */
  public static Path configurationDoc() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/configuration.md"))) {
        return p.resolve("docs/configuration.md");
      }
    }
    throw new AssertionError("docs/configuration.md not found above " + here);
  }

  public static String render(List<ConfigKey<?>> keys, Class<?> builder) {
    StringBuilder sb = new StringBuilder();
    sb.append("| Key | Type | Default | Builder | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    for (ConfigKey<?> k : keys) {
      sb.append("| `")
          .append(k.name())
          .append("` | ")
          .append(k.type().label())
          .append(" | ")
          .append(k.defaultValue() == null ? "–" : "`" + k.defaultValue() + "`")
          .append(" | `")
          .append(k.builderType() != null ? k.builderType() : builder.getSimpleName())
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

  private static Stream<Method> instanceMethods(Class<?> type) {
    return Arrays.stream(type.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers()));
  }

  /**
   * Fails unless each key's builder method exists (on {@code builder}, or on an options type one of
   * its methods takes) and the doc's section equals the rendering (or rewrites it on request).
   */
  public static void check(String section, List<ConfigKey<?>> keys, Class<?> builder)
      throws IOException {
    for (ConfigKey<?> k : keys) {
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
                        new AssertionError(
                            k.name()
                                + " names options type "
                                + k.builderType()
                                + ", which no method of "
                                + builder.getSimpleName()
                                + " takes"));
      }
      // On an options type only its setters count: they return the options.
      Class<?> type = owner;
      assertThat(
              instanceMethods(owner)
                  .filter(m -> type == builder || m.getReturnType() == type)
                  .map(Method::getName))
          .as(
              "%s declares builder method %s.%s",
              k.name(), owner.getSimpleName(), k.builderMethodName())
          .contains(k.builderMethodName());
    }
    Path doc = configurationDoc();
    String text = Files.readString(doc);
    String open = "<!-- keys:" + section + " -->\n";
    String close = "<!-- /keys:" + section + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    assertThat(start).as("section %s in %s", section, doc).isGreaterThanOrEqualTo(0);
    assertThat(end).as("end of section %s in %s", section, doc).isGreaterThan(start);
    String current = text.substring(start + open.length(), end);
    String expected = render(keys, builder);
    if (Boolean.getBoolean("ferry.docs.write")) {
      Files.writeString(
          doc, text.substring(0, start + open.length()) + expected + text.substring(end));
      return;
    }
    assertThat(current)
        .as(
            "docs/configuration.md section '%s' is out of date; rerun this test with"
                + " -Dferry.docs.write=true",
            section)
        .isEqualTo(expected);
  }
}
