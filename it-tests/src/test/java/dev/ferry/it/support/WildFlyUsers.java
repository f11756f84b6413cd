package dev.ferry.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Adds the application users the suites sign in with to the unpacked WildFly, before Arquillian
 * starts it (the servers copy their configuration from {@code jboss.home} at each start): what
 * {@code add-user.sh -a} would write to {@code application-users.properties} and {@code
 * application-roles.properties}. Registered in {@code
 * META-INF/services/org.junit.platform.launcher.LauncherSessionListener}.
 */
public final class WildFlyUsers implements LauncherSessionListener {
  /** In role {@code ferry-operator}: may use the operations console. */
  public static final String OPERATOR = "ferry-it-operator";

  /** In no role: signed in, yet refused by the console. */
  public static final String VIEWER = "ferry-it-viewer";

  /** Both users' password. */
  public static final String PASSWORD = "console-test-secret";

  private static final String REALM = "ApplicationRealm";

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String home = System.getProperty("jboss.home");
    if (home == null) {
      return; // not under failsafe: no server to configure
    }
    Path configuration = Path.of(home, "standalone", "configuration");
    if (!Files.isDirectory(configuration)) {
      return;
    }
    add(configuration.resolve("application-users.properties"), OPERATOR, digest(OPERATOR));
    add(configuration.resolve("application-users.properties"), VIEWER, digest(VIEWER));
    add(configuration.resolve("application-roles.properties"), OPERATOR, "ferry-operator");
  }

  private static String digest(String user) {
    try {
      byte[] hash =
          MessageDigest.getInstance("MD5")
              .digest((user + ":" + REALM + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  private static void add(Path file, String user, String value) {
    try {
      String text = Files.exists(file) ? Files.readString(file) : "";
      if (!text.contains("\n" + user + "=") && !text.startsWith(user + "=")) {
        Files.writeString(
            file,
            (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + user + "=" + value + "\n",
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
