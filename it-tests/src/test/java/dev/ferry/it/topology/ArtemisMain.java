package dev.ferry.it.topology;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * An Artemis broker in a JVM of its own, configured by the {@code broker.xml} named as the only
 * argument. It reports {@code STARTED}, then each change of its role as {@code STATE <role>}
 * ({@code ACTIVE}, {@code BACKUP}, {@code BACKUP-IN-SYNC}) on standard output, and lives until it
 * is killed.
 */
public final class ArtemisMain {
  private ArtemisMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedActiveMQ embedded = new EmbeddedActiveMQ();
    embedded.setConfigResourcePath(Path.of(args[0]).toUri().toString());
    try {
      embedded.start();
    } catch (Exception e) {
      System.out.println("FAILED " + e);
      throw e;
    }
    System.out.println("STARTED");
    ActiveMQServer server = embedded.getActiveMQServer();
    String reported = "";
    while (true) {
      String state =
          server.isActive() ? "ACTIVE" : server.isReplicaSync() ? "BACKUP-IN-SYNC" : "BACKUP";
      if (!state.equals(reported)) {
        System.out.println("STATE " + state);
        System.out.flush();
        reported = state;
      }
      Thread.sleep(50);
    }
  }
}
