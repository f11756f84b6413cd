package dev.ferry.jms;

import java.nio.file.Files;
import java.nio.file.Path;

/** One embedded broker per test class, with its journal under target/. */
public final class ArtemisFixture {
  private ArtemisFixture() {}

  public static EmbeddedArtemis start(String name) throws Exception {
    Path dir = Path.of("target", "artemis-" + name + "-" + System.nanoTime());
    Files.createDirectories(dir);
    return EmbeddedArtemis.builder().dataDirectory(dir).start();
  }
}
