package dev.ferry.it.topology;

import java.nio.file.Path;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding;
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
    String queues = "";
    long nextQueues = 0;
    while (true) {
      if (System.nanoTime() > nextQueues && server.isActive()) {
        // What waits where, for the suites' diagnostics: queue=messages/consumers.
        String now = queueReport(server);
        if (!now.equals(queues)) {
          System.out.println("QUEUES " + now);
          queues = now;
        }
        nextQueues = System.nanoTime() + 1_000_000_000L;
      }
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

  private static String queueReport(ActiveMQServer server) {
    return server
        .getPostOffice()
        .getAllBindings()
        .filter(b -> b instanceof LocalQueueBinding)
        .map(b -> ((LocalQueueBinding) b).getQueue())
        .filter(q -> !q.isInternalQueue())
        .map(q -> q.getName() + "=" + q.getMessageCount() + "/" + q.getConsumerCount())
        .sorted()
        .collect(Collectors.joining(" "));
  }
}
