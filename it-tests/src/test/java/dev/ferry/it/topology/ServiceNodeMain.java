package dev.ferry.it.topology;

import dev.ferry.MessageBus;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.util.concurrent.CountDownLatch;

/**
 * A worker node of the cluster suite in a JVM of its own, so that it can be killed with {@code
 * SIGKILL}. Arguments: node id, broker URL, suite, store schema, JDBC URL, user; the password is in
 * {@code FERRY_IT_DB_PASSWORD}. Reports {@code READY} once its bus is up.
 */
public final class ServiceNodeMain {
  private ServiceNodeMain() {}

  public static void main(String[] args) throws Exception {
    String node = args[0];
    String brokerUrl = args[1];
    String suite = args[2];
    String schema = args[3];
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl(args[4])
            .username(args[5])
            .password(System.getenv().getOrDefault("FERRY_IT_DB_PASSWORD", ""))
            .schema(schema)
            .build();
    try {
      MessageBus bus = ClusterMessages.worker(node, brokerUrl, store, new Effects(suite));
      Runtime.getRuntime().addShutdownHook(new Thread(bus::close));
    } catch (RuntimeException e) {
      System.out.println("FAILED " + e);
      throw e;
    }
    System.out.println("READY");
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
