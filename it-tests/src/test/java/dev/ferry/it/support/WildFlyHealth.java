package dev.ferry.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Adds MicroProfile Health ({@code microprofile-health-smallrye}, as {@code
 * standalone-microprofile.xml} has it) to the unpacked WildFly's {@code standalone-full.xml} before
 * Arquillian starts it, so that the deployments' health checks are served on the management
 * interface ({@code /health/ready}, {@code /health/live}). Registered in {@code
 * META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class WildFlyHealth implements LauncherSessionListener {
  static final String EXTENSION =
      "<extension module=\"org.wildfly.extension.microprofile.health-smallrye\"/>";
  static final String SUBSYSTEM =
      "<subsystem xmlns=\"urn:wildfly:microprofile-health-smallrye:3.0\" security-enabled=\"false\""
          + " empty-liveness-checks-status=\"UP\" empty-readiness-checks-status=\"UP\""
          + " empty-startup-checks-status=\"UP\"/>";
  private static final String AFTER_EXTENSION =
      "<extension module=\"org.wildfly.extension.microprofile.config-smallrye\"/>";
  private static final String AFTER_SUBSYSTEM =
      "<subsystem xmlns=\"urn:wildfly:microprofile-config-smallrye:2.0\"/>";

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String home = System.getProperty("jboss.home");
    if (home == null) {
      return; // not under failsafe: no server to configure
    }
    Path config = Path.of(home, "standalone", "configuration", "standalone-full.xml");
    if (!Files.isRegularFile(config)) {
      return;
    }
    try {
      String xml = Files.readString(config);
      if (xml.contains(EXTENSION)) {
        return;
      }
      if (!xml.contains(AFTER_EXTENSION) || !xml.contains(AFTER_SUBSYSTEM)) {
        throw new IllegalStateException(
            config + " has no MicroProfile Config subsystem to add MicroProfile Health after");
      }
      xml =
          xml.replace(AFTER_EXTENSION, AFTER_EXTENSION + "\n        " + EXTENSION)
              .replace(AFTER_SUBSYSTEM, AFTER_SUBSYSTEM + "\n        " + SUBSYSTEM);
      Files.writeString(config, xml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
