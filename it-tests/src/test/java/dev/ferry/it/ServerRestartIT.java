package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.it.support.Db;
import dev.ferry.it.support.Deployments;
import dev.ferry.it.support.Http;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.ContainerController;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.container.test.api.TargetsContainer;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A crash in the middle of the flow loses nothing. A second, manually controlled WildFly (the
 * {@code wildfly-restart} container of {@code arquillian.xml}, ports +200) runs the sample while
 * clients place orders; the test kills its process ({@code SIGKILL}: no undeploy, no shutdown hook)
 * while events sit in the outbox, in the broker and in handlers, then starts it again on the same
 * base directory (configuration with the deployments, the Artemis journal) and database. Every
 * committed order must then be invoiced, e-mailed and shipped exactly once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerRestartIT {
  static final String SERVER = "wildfly-restart";
  static final Db DB = new Db("restart");
  static final int CLIENTS = 4;
  static final int ORDERS_PER_CLIENT = 30;

  @ArquillianResource ContainerController controller;
  @ArquillianResource Deployer deployer;

  @Deployment(name = "restart-driver", order = 1, managed = false, testable = false)
  @TargetsContainer(SERVER)
  static JavaArchive driver() {
    return Deployments.driver();
  }

  @Deployment(name = "restart-orders", order = 2, managed = false, testable = false)
  @TargetsContainer(SERVER)
  static WebArchive orders() {
    return Deployments.orders("orders", Deployments.config("restart"));
  }

  @Test
  void aCrashInTheMiddleOfTheFlowLosesNothing() throws Exception {
    prepareBaseDirectory();
    controller.start(SERVER);
    try {
      deployer.deploy("restart-driver");
      deployer.deploy("restart-orders");
      Http http = new Http(new URL("http://127.0.0.1:8280/orders/"));

      List<UUID> acknowledged = new CopyOnWriteArrayList<>();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < ORDERS_PER_CLIENT; i++) {
                    try {
                      acknowledged.add(
                          UUID.fromString(
                              Http.orderId(
                                  http.post(
                                      "orders", Http.order("c" + client + "n" + i, "TOY", 1)))));
                    } catch (RuntimeException | AssertionError e) {
                      return; // the server is gone
                    }
                  }
                },
                "order-client-" + c);
        t.start();
        clients.add(t);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 40);
      kill();
      for (Thread t : clients) {
        t.join(30_000);
      }

      long orders = DB.count("select count(*) from orders");
      long complete = complete();
      System.out.printf(
          "Crash: %d orders acknowledged, %d committed, %d fully handled, %d in the outbox%n",
          acknowledged.size(), orders, complete, DB.outgoing());
      // The crash froze the flow part-way: some committed orders were not yet fully handled.
      assertThat(complete).as("orders fully handled at the crash, of " + orders).isLessThan(orders);

      controller.stop(SERVER); // the process is gone; this resets Arquillian's view of it
      controller.start(SERVER); // boots with its deployments, its broker journal, the same database

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> assertThat(complete()).isEqualTo(DB.count("select count(*) from orders")));
      assertThat(acknowledged).allMatch(id -> DB.rows("orders", id) == 1);
      // Exactly once: primary keys would have turned a duplicate into a failure and a dead letter.
      assertThat(DB.count("select count(*) from invoices")).isEqualTo(orders);
      assertThat(DB.count("select count(*) from emails")).isEqualTo(orders);
      assertThat(DB.count("select count(*) from shipments")).isEqualTo(orders);
      assertThat(DB.count("select count(*) from it_ferry_restart.dead_letters")).isZero();
    } finally {
      controller.stop(SERVER);
    }
  }

  private static long complete() {
    return DB.count(
        "select count(*) from orders o where exists (select 1 from invoices i where i.order_id ="
            + " o.id) and exists (select 1 from emails e where e.order_id = o.id) and exists"
            + " (select 1 from shipments s where s.order_id = o.id)");
  }

  /** SIGKILL, as a crash would: no graceful undeploy, no broker shutdown. */
  private static void kill() throws Exception {
    ProcessHandle server =
        ProcessHandle.allProcesses()
            .filter(p -> p.info().commandLine().orElse("").contains("-Djboss.node.name=" + SERVER))
            .findFirst()
            .orElseThrow(() -> new AssertionError("No process of " + SERVER));
    server.destroyForcibly();
    server.onExit().get(30, TimeUnit.SECONDS);
  }

  /**
   * A fresh base directory for the server, kept across its restart (arquillian.xml points {@code
   * jboss.server.base.dir} here).
   */
  private static void prepareBaseDirectory() throws IOException {
    Path home = Path.of(System.getProperty("jboss.home"));
    Path base = home.resolveSibling("wildfly-restart-base");
    if (Files.exists(base)) {
      try (Stream<Path> all = Files.walk(base)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Path source = home.resolve("standalone").resolve("configuration");
    Path target = base.resolve("configuration");
    try (Stream<Path> all = Files.walk(source)) {
      for (Path p : all.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.createDirectories(base.resolve("deployments"));
  }
}
