package dev.ferry.jdbi;

import static dev.ferry.jdbi.RecoveryNode.ORDER_COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.jdbi.RecoveryNode.Audit;
import dev.ferry.jdbi.RecoveryNode.Order;
import dev.ferry.jdbi.RecoveryNode.Work;
import dev.ferry.jms.JmsTransport;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two nodes share one schema and one broker; one runs in a JVM of its own and is killed with
 * SIGKILL while it holds work on both sides. The survivor takes its outgoing rows over once their
 * lease expires and sends them, the broker redelivers what it was handling, and every message is
 * handled exactly once.
 */
@ExtendWith(PostgresExtension.class)
class NodeRecoveryTest {
  private final PostgresDatabase db;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final BlockingQueue<String> victimLines = new LinkedBlockingQueue<>();
  private final CountDownLatch gate = new CountDownLatch(1);
  private Process victim;
  private Path victimLog;
  private String schema;

  NodeRecoveryTest(PostgresDatabase db) {
    this.db = db;
  }

  @AfterEach
  void cleanUp() throws Exception {
    gate.countDown();
    if (victim != null) {
      victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (schema != null) {
      db.dropSchema(schema);
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    closeables.add(t);
    return t;
  }

  @Test
  void aKilledNodesWorkIsTakenOverWhenItsLeaseExpiresAndHandledOnce() throws Exception {
    Path brokerDir = Path.of("target", "artemis-recovery-" + System.nanoTime());
    Files.createDirectories(brokerDir);
    EmbeddedArtemis broker = keep(EmbeddedArtemis.builder().dataDirectory(brokerDir).start());
    JdbiEnvelopeStore survivorStore = keep(TestStores.builder(db).build());
    schema = survivorStore.schema();
    survivorStore.start("survivor");
    Jdbi jdbi = survivorStore.jdbi();
    String q = "\"" + schema + "\".";
    jdbi.useHandle(
        h -> {
          h.execute("CREATE TABLE " + q + "orders (id text PRIMARY KEY)");
          h.execute("CREATE TABLE " + q + "handled (kind text, id text, node text)");
        });

    // 1. The victim, in its own JVM, gets work in flight on both sides.
    startVictim(broker.tcpUrl());
    int sentByVictim = Integer.parseInt(awaitLine("ORDERS-SENT-THEN-HUNG ").trim());
    awaitLine("IN-FLIGHT");
    List<Map<String, Object>> rows =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT id, owner, lease_until FROM " + q + "outgoing")
                    .mapToMap()
                    .list());
    assertThat(rows).hasSize(ORDER_COUNT).allMatch(r -> "victim".equals(r.get("owner")));
    List<String> victimIds = rows.stream().map(r -> (String) r.get("id")).toList();
    // The victim's leases; if it renewed them before it died, the survivor must wait even longer.
    Map<String, Instant> leaseEnds = new HashMap<>();
    rows.forEach(
        r -> leaseEnds.put((String) r.get("id"), ((Timestamp) r.get("lease_until")).toInstant()));
    assertThat(handled(jdbi, "a-1")).as("a-1 committed by the victim").containsExactly("victim");
    assertThat(handled(jdbi, "w-1")).as("w-1 still uncommitted").isEmpty();

    // 2. The survivor joins; its sender to the orders queue waits at a gate.
    Map<String, AtomicInteger> handledHere = new ConcurrentHashMap<>();
    RecordingStore recording = new RecordingStore(survivorStore);
    MessageBus survivor =
        keep(
            RecoveryNode.common(
                    "survivor",
                    new HookedTransport(
                        JmsTransport.builder().url(broker.tcpUrl()).build(),
                        RecoveryNode::isOrders,
                        (real, batch) -> {
                          gate.await();
                          real.send(batch);
                        }),
                    recording)
                .outbox(OutboxOptions.defaults().lease(Duration.ofSeconds(20)))
                .shutdownTimeout(Duration.ofSeconds(5))
                .handle(
                    Order.class,
                    (o, ctx) -> {
                      count(handledHere, o.id());
                      RecoveryNode.recordHandled(ctx, schema, o.id(), "survivor");
                      return null;
                    })
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      count(handledHere, w.id());
                      RecoveryNode.recordHandled(ctx, schema, w.id(), "survivor");
                      return null;
                    })
                .handle(
                    Audit.class,
                    (a, ctx) -> {
                      count(handledHere, a.id());
                      RecoveryNode.recordHandled(ctx, schema, a.id(), "survivor");
                      return null;
                    })
                .build());

    // 3. SIGKILL: no shutdown hook, no close, no release of anything.
    victim.destroyForcibly();
    assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.exitValue()).as("killed by SIGKILL").isEqualTo(137);

    // 4. The broker gives the survivor what the victim was handling: w-1 is handled (the victim's
    // transaction died with it), a-1 is recognised by the inbox and skipped.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> handled(jdbi, "w-1").equals(List.of("survivor")));
    await().atMost(Duration.ofSeconds(20)).until(() -> survivor.metrics().duplicates() >= 1);

    // 5. Once the lease expires the survivor claims the rows; the dead owner is fenced out.
    await()
        .atMost(RecoveryNode.VICTIM_LEASE.plusSeconds(15))
        .until(() -> owners(jdbi, q).equals(List.of("survivor")));
    assertThat(survivorStore.deleteOutgoing("victim", victimIds))
        .as("the old owner's delete")
        .isZero();
    assertThat(survivorStore.releaseOutgoing("victim", victimIds, Instant.now()))
        .as("the old owner's release")
        .isZero();
    assertThat(survivorStore.outgoingCount()).isEqualTo(ORDER_COUNT);
    assertThat(owners(jdbi, q)).containsExactly("survivor");
    for (String id : victimIds) {
      assertThat(recording.firstClaimedAt.get(id))
          .as("taken over only after the lease expired: " + id)
          .isAfterOrEqualTo(leaseEnds.get(id));
    }

    // 6. The survivor sends them; each row is deleted once, each order handled once.
    gate.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> survivorStore.outgoingCount() == 0 && ordersHandled(jdbi, q) == ORDER_COUNT);
    survivor.flush(Duration.ofSeconds(5));
    Thread.sleep(500); // room for a duplicate to show up, if there were one
    assertThat(recording.deleted.get()).as("rows deleted").isEqualTo(ORDER_COUNT);
    List<Long> handledTwice =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM "
                            + q
                            + "handled WHERE kind = 'ferry.test.recovery.order.v1'"
                            + " GROUP BY id HAVING count(*) > 1")
                    .mapTo(Long.class)
                    .list());
    assertThat(handledTwice).as("orders handled twice").isEmpty();
    for (int i = 0; i < ORDER_COUNT; i++) {
      assertThat(handledHere.get("o-" + i)).as("o-" + i).hasValue(1);
    }
    assertThat(handledHere.get("w-1")).hasValue(1);
    assertThat(handledHere).doesNotContainKey("a-1");
    assertThat(handled(jdbi, "a-1")).containsExactly("victim");
    assertThat(survivor.metrics().duplicates())
        .as("the orders the victim had sent, and a-1")
        .isEqualTo(sentByVictim + 1);
    int businessRows =
        jdbi.withHandle(
            h -> h.createQuery("SELECT count(*) FROM " + q + "orders").mapTo(Integer.class).one());
    assertThat(businessRows).isEqualTo(ORDER_COUNT);
  }

  private static void count(Map<String, AtomicInteger> counts, String id) {
    counts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
  }

  private List<String> handled(Jdbi jdbi, String id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT node FROM \"" + schema + "\".handled WHERE id = ?")
                .bind(0, id)
                .mapTo(String.class)
                .list());
  }

  private static int ordersHandled(Jdbi jdbi, String q) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(DISTINCT id) FROM "
                        + q
                        + "handled WHERE kind = 'ferry.test.recovery.order.v1'")
                .mapTo(Integer.class)
                .one());
  }

  private static List<String> owners(Jdbi jdbi, String q) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT DISTINCT coalesce(owner, '(none)') FROM " + q + "outgoing")
                .mapTo(String.class)
                .list());
  }

  private void startVictim(String brokerUrl) throws IOException {
    victimLog = Path.of("target", "recovery-victim-" + System.nanoTime() + ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                RecoveryNode.class.getName(),
                db.jdbcUrl(),
                String.valueOf(db.username()),
                schema,
                brokerUrl)
            .redirectError(victimLog.toFile());
    pb.environment().put("FERRY_RECOVERY_DB_PASSWORD", db.password() == null ? "" : db.password());
    victim = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  victimLines.add(line);
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "victim-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits for the victim's line starting with {@code prefix}; returns the rest of it. */
  private String awaitLine(String prefix) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = victimLines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
      if (line != null && line.startsWith("FAILED")) {
        throw new AssertionError("The victim failed: " + line + "; its log: " + victimLog);
      }
      if (line == null && !victim.isAlive() && victimLines.isEmpty()) {
        throw new AssertionError(
            "The victim exited with "
                + victim.exitValue()
                + " before '"
                + prefix
                + "'; its log: "
                + victimLog);
      }
    }
    throw new AssertionError("The victim never said '" + prefix + "'; its log: " + victimLog);
  }
}
