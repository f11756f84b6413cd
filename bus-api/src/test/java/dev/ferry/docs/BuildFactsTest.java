package dev.ferry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.build.GeneratedDocs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Facts of the build that docs state and that the poms must keep: every version is declared once,
 * as a property of the parent; {@code docs/versions.md} lists each of them with its value; the BOM
 * names every artifact a user may depend on.
 */
class BuildFactsTest {
  private static final Path ROOT = GeneratedDocs.repositoryRoot();

  /** A row of docs/versions.md: | What | Version | `property` | Where |. */
  private static final Pattern ROW =
      Pattern.compile("^\\|([^|]+)\\|([^|]+)\\|\\s*`([^`]+)`\\s*\\|([^|]+)\\|\\s*$");

  @Test
  void everyVersionOfTheParentIsListedWithItsValue() throws Exception {
    Map<String, String> versions = parentVersionProperties();
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(ROOT.resolve("docs/versions.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        assertThat(documented.put(m.group(3), m.group(2).trim()))
            .as("docs/versions.md lists %s twice", m.group(3))
            .isNull();
      }
    }
    String wrapper = ".mvn/wrapper/maven-wrapper.properties";
    Properties wrapperProperties = new Properties();
    try (var in = Files.newInputStream(ROOT.resolve(wrapper))) {
      wrapperProperties.load(in);
    }
    Matcher maven =
        Pattern.compile("apache-maven-([^/]+)-bin\\.zip$")
            .matcher(wrapperProperties.getProperty("distributionUrl"));
    assertThat(maven.find()).as("Maven version in %s", wrapper).isTrue();
    versions.put(wrapper, maven.group(1));

    assertThat(documented.keySet())
        .as("properties in docs/versions.md versus the parent pom's versions")
        .containsExactlyInAnyOrderElementsOf(versions.keySet());
    versions.forEach(
        (property, value) ->
            assertThat(documented.get(property))
                .as("docs/versions.md, row of %s", property)
                .startsWith(value));
  }

  @Test
  void noModuleDeclaresAVersionOfItsOwn() throws Exception {
    List<String> offences = new ArrayList<>();
    for (Path pom : modulePoms()) {
      Element project = parse(pom).getDocumentElement();
      NodeList versions = project.getElementsByTagName("version");
      for (int i = 0; i < versions.getLength(); i++) {
        Element version = (Element) versions.item(i);
        String owner = ((Element) version.getParentNode()).getTagName();
        String text = version.getTextContent().trim();
        if (!owner.equals("parent") && !owner.equals("project") && !text.startsWith("${")) {
          offences.add(ROOT.relativize(pom) + ": " + owner + " version " + text);
        }
      }
      Element properties = child(project, "properties");
      if (properties != null) {
        for (Element p : children(properties)) {
          if (p.getTagName().endsWith(".version")) {
            offences.add(ROOT.relativize(pom) + ": property " + p.getTagName());
          }
        }
      }
    }
    assertThat(offences).as("versions belong in the parent's properties").isEmpty();
  }

  @Test
  void theBomNamesEveryPublishedArtifact() throws Exception {
    Set<String> expected = new TreeSet<>();
    Element parent = parse(ROOT.resolve("pom.xml")).getDocumentElement();
    for (Element module : children(child(parent, "modules"))) {
      String name = module.getTextContent().trim();
      if (Set.of("bom", "it-tests", "samples", "benchmarks").contains(name)) {
        continue;
      }
      Path pom = ROOT.resolve(name).resolve("pom.xml");
      if (Files.readString(pom).contains("<maven.deploy.skip>true</maven.deploy.skip>")) {
        continue; // the build's own checks, not released
      }
      String artifact = child(parse(pom).getDocumentElement(), "artifactId").getTextContent();
      expected.add(artifact.trim() + ":jar");
    }
    Set<String> listed = new TreeSet<>();
    Element bom = parse(ROOT.resolve("bom/pom.xml")).getDocumentElement();
    for (Element dependency : children(child(child(bom, "dependencyManagement"), "dependencies"))) {
      Element type = child(dependency, "type");
      listed.add(
          child(dependency, "artifactId").getTextContent().trim()
              + ":"
              + (type == null ? "jar" : type.getTextContent().trim()));
    }
    assertThat(listed).as("bom/pom.xml").isEqualTo(expected);
  }

  /**
   * Test support is published as modules of its own (the test kits), never as test-jars: a test-jar
   * carries a module's own tests' classes and none of their dependencies.
   */
  @Test
  void noModuleBuildsOrUsesATestJar() throws Exception {
    List<String> offences = new ArrayList<>();
    for (Path pom : modulePoms()) {
      String text = Files.readString(pom);
      if (text.contains("<type>test-jar</type>") || text.contains("<goal>test-jar</goal>")) {
        offences.add(ROOT.relativize(pom).toString());
      }
    }
    assertThat(offences).as("poms with a test-jar").isEmpty();
  }

  private static Map<String, String> parentVersionProperties() throws Exception {
    Map<String, String> versions = new LinkedHashMap<>();
    Element project = parse(ROOT.resolve("pom.xml")).getDocumentElement();
    for (Element p : children(child(project, "properties"))) {
      if (p.getTagName().endsWith(".version") || p.getTagName().equals("maven.compiler.release")) {
        versions.put(p.getTagName(), p.getTextContent().trim());
      }
    }
    return versions;
  }

  private static List<Path> modulePoms() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(p -> p.getFileName().toString().equals("pom.xml"))
          .filter(p -> !p.equals(ROOT.resolve("pom.xml")))
          .filter(p -> DocSnippetsTest.isSource(ROOT.relativize(p)))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static Document parse(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
  }

  private static Element child(Element parent, String name) {
    for (Element e : children(parent)) {
      if (e.getTagName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> list = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        list.add(e);
      }
    }
    return list;
  }
}
