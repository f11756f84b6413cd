package dev.ferry.it.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import dev.ferry.it.support.PostgresLauncher;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * A replicated primary/backup pair of Artemis brokers, each in a process of its own, under a stream
 * of durable sends: the primary is killed with {@code SIGKILL} mid-stream, the backup takes over,
 * then the primary comes back and takes its role back (fail-back). The JMS transport is configured
 * for the pair by its URL alone. Every message's effect (a row its handler writes in the unit of
 * work) must exist exactly once, nothing in any dead-letter queue.
 */
class FailoverIT {
  static final String SUITE = "failover";
  static final int MESSAGES = 3_000;
  static final int PER_SECOND = 300;

  @MessageType("ferry.it.failover.work.v1")
  public record Work(String key) {}

  /** The URL a user writes for an HA pair: both brokers, failover on, reconnect for ever. */
  static String haUrl(ArtemisNode primary, ArtemisNode backup) {
    return "("
        + primary.tcp()
        + ","
        + backup.tcp()
        + ")?ha=true&reconnectAttempts=-1&retryInterval=100&retryIntervalMultiplier=2"
        + "&maxRetryInterval=1000";
  }

  @Test
  void killingThePrimaryMidStreamAndFailingBackLosesAndDuplicatesNothing() throws Exception {
    Path work = Path.of(System.getProperty("ferry.it.work", "target/it-work"), "failover");
    Effects effects = new Effects(SUITE);
    effects.create();
    try (ArtemisNode primary = new ArtemisNode("ha-primary", ArtemisNode.Role.PRIMARY, work);
        ArtemisNode backup = new ArtemisNode("ha-backup", ArtemisNode.Role.BACKUP, work)) {
      ArtemisNode.join(primary, backup);
      primary.start("ACTIVE");
      backup.start("BACKUP-IN-SYNC");
      String url = haUrl(primary, backup);

      JdbiEnvelopeStore store =
          JdbiEnvelopeStore.builder()
              .jdbcUrl(PostgresLauncher.url(SUITE))
              .username(PostgresLauncher.user())
              .password(PostgresLauncher.password())
              .schema(PostgresLauncher.store(SUITE))
              .build();
      AtomicInteger produced = new AtomicInteger();
      AtomicReference<Throwable> producerFailure = new AtomicReference<>();
      try (MessageBus bus =
          MessageBus.builder()
              .serviceName("failover")
              .nodeId("failover-1")
              // Configuration alone: the same keys as ferry.properties or FERRY_JMS_URL.
              .property("ferry.transport", "jms")
              .property("ferry.jms.url", url)
              .store(store)
              .route(Work.class, "queue:failover.work")
              .handle(
                  Work.class,
                  (w, ctx) -> {
                    effects.record(ctx.resource(Handle.class).orElseThrow(), "work", w.key(), "1");
                    return null;
                  })
              .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(200)))
              .build()) {
        Thread producer =
            new Thread(
                () -> {
                  try {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < MESSAGES; i++) {
                      String key = "w-" + i;
                      FerryJdbi.useTransaction(store, h -> bus.send(new Work(key)));
                      produced.incrementAndGet();
                      long due = t0 + (long) (i + 1) * 1_000_000_000L / PER_SECOND;
                      long wait = due - System.nanoTime();
                      if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                      }
                    }
                  } catch (Throwable t) {
                    producerFailure.set(t);
                  }
                },
                "failover-producer");
        producer.start();

        awaitCount(() -> effects.distinct("work"), MESSAGES / 4, Duration.ofSeconds(60));
        int backupMark = backup.mark();
        long killedAt = System.nanoTime();
        primary.kill9();
        backup.awaitState("ACTIVE", backupMark, Duration.ofSeconds(60));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        long handledAtKill = effects.distinct("work");

        awaitCount(produced::get, MESSAGES * 3 / 4, Duration.ofSeconds(60));
        int backupMarkBeforeFailBack = backup.mark();
        long restartedAt = System.nanoTime();
        primary.start("ACTIVE");
        Duration failBack = Duration.ofNanos(System.nanoTime() - restartedAt);
        backup.awaitState("BACKUP-IN-SYNC", backupMarkBeforeFailBack, Duration.ofSeconds(60));

        producer.join(Duration.ofSeconds(120).toMillis());
        assertThat(producerFailure.get()).as("the producer").isNull();
        awaitCount(() -> effects.distinct("work"), MESSAGES, Duration.ofSeconds(120));
        Thread.sleep(1_500); // a late duplicate would show now, and the brokers' queue reports

        long distinct = effects.distinct("work");
        long rows = effects.rows("work");
        long nativeDeadLetters = primary.messages("DLQ") + backup.messages("DLQ");
        long ferryDeadLetters = bus.deadLetters().count();
        System.out.printf(
            "HA failover: sent %d, effects %d, duplicates %d, lost %d, native DLQ %d, Ferry dead"
                + " letters %d; backup active %d ms after the kill (handled by then: %d), longest"
                + " time without an effect %d ms; the restarted primary active again after %d ms%n",
            produced.get(),
            distinct,
            rows - distinct,
            MESSAGES - distinct,
            nativeDeadLetters,
            ferryDeadLetters,
            takeover.toMillis(),
            handledAtKill,
            effects.longestGap("work").toMillis(),
            failBack.toMillis());
        assertThat(produced.get()).isEqualTo(MESSAGES);
        assertThat(distinct).as("messages whose effect exists").isEqualTo(MESSAGES);
        assertThat(rows - distinct).as("effects that happened twice").isZero();
        assertThat(nativeDeadLetters).as("messages in the broker's dead-letter queue").isZero();
        assertThat(ferryDeadLetters).as("Ferry dead letters").isZero();
      } finally {
        store.close();
      }
    }
  }

  interface Count {
    long get() throws Exception;
  }

  static void awaitCount(Count count, long atLeast, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      last = count.get();
      if (last >= atLeast) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "expected at least " + atLeast + " within " + timeout + ", was " + last);
  }
}
