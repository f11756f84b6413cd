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
          .append(builder.getSimpleName())
          .append('.')
          .append(k.builderMethod())
          .append("` | ")
          .append(k.secret() ? "**Secret, never logged.** " : "")
          .append(k.description().replace("|", "\\|"))
          .append(" Environment: `")
          .append(k.environmentVariable())
          .append("`. |\n");
    }
    return sb.toString();
  }

  /** Fails unless the doc's section equals the rendering (or rewrites it on request). */
  public static void check(String section, List<ConfigKey<?>> keys, Class<?> builder)
      throws IOException {
    for (ConfigKey<?> k : keys) {
      assertThat(
              Arrays.stream(builder.getMethods())
                  .filter(m -> !Modifier.isStatic(m.getModifiers()))
                  .map(Method::getName))
          .as(
              "%s declares builder method %s.%s",
              k.name(), builder.getSimpleName(), k.builderMethod())
          .contains(k.builderMethod());
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
