package dev.ferry.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the generated parts of the docs true: each module owns a section of {@code
 * docs/configuration.md} between {@code <!-- keys:NAME -->} and {@code <!-- /keys:NAME -->}, made
 * from its key declarations ({@code dev.ferry.config.ConfigReference}). Run a module's docs test
 * with {@code -Dferry.docs.write=true} to rewrite its section.
 */
public final class GeneratedDocs {
  private GeneratedDocs() {}

  /** The repository's root, found from a module directory by its {@code docs/configuration.md}. */
  public static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/configuration.md"))) {
        return p;
      }
    }
    throw new AssertionError("docs/configuration.md not found above " + here);
  }

  /**
   * Fails unless the section {@code section} of {@code docs/configuration.md} is {@code table}, or
   * rewrites it when {@code ferry.docs.write} is set.
   */
  public static void checkConfigurationSection(String section, String table) throws IOException {
    Path doc = repositoryRoot().resolve("docs/configuration.md");
    String text = Files.readString(doc);
    String open = "<!-- keys:" + section + " -->\n";
    String close = "<!-- /keys:" + section + " -->";
    int start = text.indexOf(open);
    int end = text.indexOf(close);
    assertThat(start).as("section %s in %s", section, doc).isGreaterThanOrEqualTo(0);
    assertThat(end).as("end of section %s in %s", section, doc).isGreaterThan(start);
    String current = text.substring(start + open.length(), end);
    if (Boolean.getBoolean("ferry.docs.write")) {
      Files.writeString(
          doc, text.substring(0, start + open.length()) + table + text.substring(end));
      return;
    }
    assertThat(current)
        .as(
            "docs/configuration.md section '%s' is out of date; rerun this test with"
                + " -Dferry.docs.write=true",
            section)
        .isEqualTo(table);
  }
}
