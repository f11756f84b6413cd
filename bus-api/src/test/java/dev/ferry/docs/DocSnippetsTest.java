package dev.ferry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.build.GeneratedDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Java code in every Markdown file of the repository comes from compiled sources: each {@code
 * ```java} block is preceded by {@code <!-- snippet: PATH#TAG -->} and equals the region between
 * {@code // tag::TAG[]} and {@code // end::TAG[]} in PATH. Run with {@code -Dferry.docs.write=true}
 * to refresh the blocks.
 */
class DocSnippetsTest {
  private static final Pattern SNIPPET =
      Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

  /** A Java block and the line before it, to find blocks that no snippet marker precedes. */
  private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^(.*)\\n```java$");

  private static final Path ROOT = GeneratedDocs.repositoryRoot();

  /** Whether a path below the repository root is the project's own (not build output). */
  static boolean isSource(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.toString().endsWith(".md"))
          .filter(p -> isSource(ROOT.relativize(p)))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void everyJavaBlockIsASnippet() throws IOException {
    List<String> loose = new ArrayList<>();
    for (Path doc : markdownFiles()) {
      String text = Files.readString(doc);
      Matcher m = JAVA_BLOCK.matcher(text);
      while (m.find()) {
        if (!m.group(1).startsWith("<!-- snippet: ")) {
          int line = (int) text.substring(0, m.end()).chars().filter(c -> c == '\n').count() + 1;
          loose.add(ROOT.relativize(doc) + ":" + line);
        }
      }
    }
    assertThat(loose)
        .as(
            "Java blocks not taken from compiled code (precede each with <!-- snippet: PATH#TAG -->)")
        .isEmpty();
  }

  @Test
  void snippetsMatchTheirSources() throws IOException {
    Path root = ROOT;
    List<Path> docs = markdownFiles();
    assertThat(docs).contains(root.resolve("README.md"), root.resolve("docs/concepts.md"));
    int checked = 0;
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher m = SNIPPET.matcher(text);
      StringBuilder rewritten = new StringBuilder();
      while (m.find()) {
        String expected = region(root.resolve(m.group(1)), m.group(2));
        if (Boolean.getBoolean("ferry.docs.write")) {
          m.appendReplacement(
              rewritten,
              Matcher.quoteReplacement(
                  "<!-- snippet: "
                      + m.group(1)
                      + "#"
                      + m.group(2)
                      + " -->\n```java\n"
                      + expected
                      + "```"));
        } else {
          assertThat(m.group(3))
              .as(
                  "snippet %s#%s in %s (rerun with -Dferry.docs.write=true)",
                  m.group(1), m.group(2), doc.getFileName())
              .isEqualTo(expected);
        }
        checked++;
      }
      if (Boolean.getBoolean("ferry.docs.write")) {
        m.appendTail(rewritten);
        Files.writeString(doc, rewritten.toString());
      }
    }
    assertThat(checked).as("snippets found").isGreaterThan(0);
  }

  static String region(Path source, String tag) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("// tag::" + tag + "[]")) {
        start = i + 1;
      } else if (lines.get(i).trim().equals("// end::" + tag + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("tag %s in %s", tag, source).isGreaterThan(0);
    assertThat(end).as("end of tag %s in %s", tag, source).isGreaterThanOrEqualTo(start);
    while (end > start && lines.get(end - 1).isBlank()) {
      end--;
    }
    List<String> region = lines.subList(start, end);
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    StringBuilder sb = new StringBuilder();
    for (String l : region) {
      sb.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
    }
    return sb.toString();
  }
}
