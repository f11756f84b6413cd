package dev.ferry.it.topology;

import static dev.ferry.it.topology.FailoverIT.awaitCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.MessageBus;
import dev.ferry.it.support.PostgresLauncher;
import dev.ferry.it.topology.ClusterMessages.Job;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two clustered Artemis brokers (message redistribution on), three nodes of a worker service in
 * JVMs of their own competing for one queue and sharing one subscription of an event topic, and a
 * second service subscribing to the same topic. One worker node is killed with {@code SIGKILL}
 * midway: what it had taken from the broker is redelivered to the others, and the outbox rows it
 * held under lease are sent by the others once the lease expires. Every job is done once and every
 * event reaches each subscribing service once.
 */
class ClusterIT {
  static final String SUITE = "cluster";
  static final int JOBS = 1_500;
  static final int PER_SECOND = 250;

  @Test
  void competingNodesShareTheWorkAndAKilledNodesWorkIsTakenOver() throws Exception {
    Path work = Path.of(System.getProperty("ferry.it.work", "target/it-work"), "cluster");
    Effects effects = new Effects(SUITE);
    effects.create();
    String workerSchema = PostgresLauncher.store(SUITE);
    try (ArtemisNode a = new ArtemisNode("cluster-a", ArtemisNode.Role.CLUSTER_MEMBER, work);
        ArtemisNode b = new ArtemisNode("cluster-b", ArtemisNode.Role.CLUSTER_MEMBER, work)) {
      ArtemisNode.join(a, b);
      a.start("ACTIVE");
      b.start("ACTIVE");
      List<ChildJvm> nodes = new ArrayList<>();
      try (TcpProxy victimsLink = new TcpProxy(b.port())) {
        String[] brokers = {a.tcp(), victimsLink.tcp(), a.tcp()};
        for (int i = 0; i < 3; i++) {
          ChildJvm node =
              new ChildJvm(
                  "worker-" + (i + 1),
                  ServiceNodeMain.class,
                  List.of(
                      "worker-" + (i + 1),
                      brokers[i],
                      SUITE,
                      workerSchema,
                      PostgresLauncher.url(SUITE),
                      PostgresLauncher.user()),
                  Map.of("FERRY_IT_DB_PASSWORD", PostgresLauncher.password()),
                  work);
          nodes.add(node.start());
        }
        for (ChildJvm node : nodes) {
          node.awaitLine("READY", Duration.ofSeconds(60));
        }
        JdbiEnvelopeStore auditStore =
            JdbiEnvelopeStore.builder()
                .jdbcUrl(PostgresLauncher.url(SUITE))
                .username(PostgresLauncher.user())
                .password(PostgresLauncher.password())
                .schema(workerSchema + "_audit")
                .build();
        try (MessageBus auditor = ClusterMessages.auditor(b.tcp(), auditStore, effects)) {
          Thread.sleep(1_000); // the worker subscription's queues bound on both brokers
          long t0 = System.nanoTime();
          ChildJvm victim = nodes.get(1);
          long victimRowsAtKill = -1;
          Map<String, Long> shareBeforeKill = Map.of();
          for (int i = 0; i < JOBS; i++) {
            String key = "job-" + i;
            FerryJdbi.useTransaction(auditStore, h -> auditor.send(new Job(key)));
            if (i == JOBS / 3) {
              // The victim's broker hangs: what it handles now commits to its outbox, under its
              // lease, and cannot be sent or acknowledged. Then it dies.
              victimsLink.hang();
              Thread.sleep(1_000);
              shareBeforeKill = effects.perNode("job");
              victim.kill9();
              victimRowsAtKill = leasedBy(workerSchema, victim.name());
              victimsLink.cut();
            }
            long wait = t0 + (long) (i + 1) * 1_000_000_000L / PER_SECOND - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
          for (String kind : List.of("job", "done-worker", "done-audit")) {
            try {
              awaitCount(() -> effects.distinct(kind), JOBS, Duration.ofSeconds(90));
            } catch (AssertionError e) {
              throw new AssertionError(
                  kind
                      + ": "
                      + e.getMessage()
                      + "; per node "
                      + effects.perNode(kind)
                      + ", jobs before the kill "
                      + shareBeforeKill
                      + "; queues of broker a: "
                      + a.queues()
                      + "; of b: "
                      + b.queues()
                      + "; inbox "
                      + inbox(workerSchema),
                  e);
            }
          }
          awaitCount(
              () -> leasedBy(workerSchema, victim.name()) == 0 ? 1 : 0, 1, Duration.ofSeconds(30));
          Thread.sleep(1_000); // a late duplicate would show now

          Map<String, Long> share = effects.perNode("job");
          System.out.printf(
              "Cluster: %d jobs sent; done %d (duplicates %d), event to the worker service %d"
                  + " (duplicates %d), to the auditor %d (duplicates %d); jobs per node before the"
                  + " kill %s, at the end %s; outbox rows leased by the killed node at the kill %d,"
                  + " all sent by the others%n",
              JOBS,
              effects.distinct("job"),
              effects.rows("job") - effects.distinct("job"),
              effects.distinct("done-worker"),
              effects.rows("done-worker") - effects.distinct("done-worker"),
              effects.distinct("done-audit"),
              effects.rows("done-audit") - effects.distinct("done-audit"),
              shareBeforeKill,
              share,
              victimRowsAtKill);
          for (String kind : List.of("job", "done-worker", "done-audit")) {
            assertThat(effects.distinct(kind)).as("%s effects", kind).isEqualTo(JOBS);
            assertThat(effects.rows(kind)).as("%s effects, with duplicates", kind).isEqualTo(JOBS);
          }
          assertThat(shareBeforeKill.keySet())
              .as("the competing nodes shared the work")
              .containsExactlyInAnyOrder("worker-1", "worker-2", "worker-3");
          assertThat(share.get("worker-1") + share.get("worker-3"))
              .as("the surviving nodes took over")
              .isGreaterThan(shareBeforeKill.get("worker-1") + shareBeforeKill.get("worker-3"));
          assertThat(victimRowsAtKill).as("outbox rows leased by the killed node").isPositive();
          assertThat(auditor.deadLetters().count()).isZero();
          assertThat(a.messages("DLQ") + b.messages("DLQ")).as("native dead letters").isZero();
        } finally {
          auditStore.close();
        }
      } finally {
        for (ChildJvm node : nodes) {
          node.close();
        }
      }
    }
  }

  /** Inbox rows per endpoint, for the diagnostics. */
  static String inbox(String schema) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Connection c = PostgresLauncher.connect(SUITE);
        PreparedStatement ps =
            c.prepareStatement(
                "select endpoint, count(*) from " + schema + ".incoming group by endpoint");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
      }
    }
    return sb.toString().trim();
  }

  /** Outbox rows of the worker service that a node holds under lease. */
  static long leasedBy(String schema, String node) throws Exception {
    try (Connection c = PostgresLauncher.connect(SUITE);
        PreparedStatement ps =
            c.prepareStatement("select count(*) from " + schema + ".outgoing where owner = ?")) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
