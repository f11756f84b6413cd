package dev.ferry.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.ErrorPolicy;
import dev.ferry.HandlerTimeoutException;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.Reasons;
import dev.ferry.SenderOptions;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults every transport must survive, written once beside the conformance suite: the broker
 * killed mid-stream, the store stopped while messages arrive, a handler that hangs, and loops that
 * die. Messages go through the PostgreSQL outbox and inbox as in production. A transport's test
 * subclasses this with its broker; the test methods are final so every transport is held to the
 * same cases. Each case prints one line: sent / handled / duplicated / lost / in native DLQ / Ferry
 * dead letters.
 *
 * <p>The broker's delivery limit must be its default, 10, on every queue, so that a fault that
 * burns deliveries shows up as messages in its dead-letter queue.
 */
@ExtendWith(PostgresExtension.class)
public abstract class TransportFaultSuite {
  /** The queues the cases use; a subclass whose broker needs them declared declares these. */
  public static final List<String> QUEUES =
      List.of("faults.crash", "faults.hang", "faults.loops", StoreOutageScenario.QUEUE);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** The transport's name, in the printed lines. */
  protected abstract String transportName();

  /** A new transport on the broker under test; each bus gets its own. */
  protected abstract Transport newTransport();

  /** Messages in the broker's own dead-letter queue for {@code queue}. */
  protected abstract int nativeDeadLetters(String queue) throws Exception;

  /**
   * Kills the broker as a crash would, keeping what it made durable; false if this transport's
   * broker cannot be killed apart from the service (an in-process one).
   */
  protected abstract boolean crashBroker() throws Exception;

  /** Starts the broker again after {@link #crashBroker()}. */
  protected abstract void restartBroker() throws Exception;

  /**
   * A durable store on {@code database}, in a schema of its own, whose pool gives up waiting for a
   * connection after {@code connectionTimeout}; the suite closes it. With Ferry's PostgreSQL store:
   *
   * <pre>{@code
   * return JdbiEnvelopeStore.builder()
   *     .jdbcUrl(database.jdbcUrl()).username(database.username()).password(database.password())
   *     .schema(database.newSchema()).connectionTimeout(connectionTimeout).build();
   * }</pre>
   */
  protected abstract EnvelopeStore newStore(PostgresDatabase database, Duration connectionTimeout);

  /** The store outage's figures: messages sent during it, and how long it lasts. */
  protected StoreOutageScenario storeOutage() {
    int during = Integer.getInteger("ferry.faults.outage-messages", 1_000);
    long seconds = Long.getLong("ferry.faults.outage-seconds", 10);
    return new StoreOutageScenario(transportName(), 200, during, Duration.ofSeconds(seconds));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    closeables.clear();
  }

  private <T extends AutoCloseable> T keep(T t) {
    closeables.add(t);
    return t;
  }

  private EnvelopeStore newStore() {
    return keep(newStore(PostgresExtension.database(), Duration.ofSeconds(5)));
  }

  /** Counts handlings per message number. */
  private static final class Tally {
    final Map<Integer, AtomicInteger> handled = new ConcurrentHashMap<>();

    void handled(int n) {
      handled.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    }

    int distinct() {
      return handled.size();
    }

    int duplicated() {
      return handled.values().stream().mapToInt(c -> c.get() - 1).sum();
    }
  }

  private void report(
      String fault, int sent, Tally tally, int expectedHandled, String queue, long deadLetters)
      throws Exception {
    int inDlq = nativeDeadLetters(queue);
    System.out.printf(
        "%s %s: sent %d / handled %d / duplicated %d / lost %d / in native DLQ %d"
            + " / Ferry dead letters %d%n",
        transportName(),
        fault,
        sent,
        tally.distinct(),
        tally.duplicated(),
        expectedHandled - tally.distinct(),
        inDlq,
        deadLetters);
    assertThat(tally.duplicated()).as("handled twice").isZero();
    assertThat(tally.distinct()).as("handled").isEqualTo(expectedHandled);
    assertThat(inDlq).as("in the broker's dead-letter queue").isZero();
  }

  @Test
  public final void aBrokerKilledMidStreamLosesNothingAndHandlesNothingTwice() throws Exception {
    String queue = "faults.crash";
    int total = 1_500;
    Tally tally = new Tally();
    EnvelopeStore consumerStore = newStore();
    keep(
        MessageBus.builder()
            .serviceName("worker")
            .transport(newTransport())
            .store(consumerStore)
            .listeners(ListenerOptions.defaults().concurrency(4))
            .route(Work.class, "queue:" + queue)
            .handle(
                Work.class,
                (w, ctx) -> {
                  Thread.sleep(1); // keeps a backlog on the broker while it dies
                  tally.handled(w.n());
                  return null;
                })
            .build());
    MessageBus producer =
        keep(
            MessageBus.builder()
                .serviceName("client")
                .transport(newTransport())
                .store(newStore())
                .route(Work.class, "queue:" + queue)
                .sender(
                    SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofMillis(300)))
                .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
                .build());
    AtomicInteger sent = new AtomicInteger();
    Thread sending =
        new Thread(
            () -> {
              for (int i = 0; i < total; i++) {
                producer.send(new Work(i)); // into the outbox: accepted while the broker is down
                sent.incrementAndGet();
                if (i % 10 == 9) {
                  sleepQuietly(10);
                }
              }
            },
            "fault-suite-sender");
    sending.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() >= total / 4);

    boolean crashed = crashBroker();
    Assumptions.assumeTrue(crashed, "the broker lives and dies with the service");
    int handledAtCrash = tally.distinct();
    int sentAtCrash = sent.get();
    Thread.sleep(1_500);
    restartBroker();

    sending.join(120_000);
    await().atMost(Duration.ofSeconds(120)).until(() -> tally.distinct() == total);
    Thread.sleep(500); // nothing more may follow
    assertThat(handledAtCrash).as("killed mid-stream").isLessThan(sentAtCrash);
    report(
        "broker killed mid-stream (" + handledAtCrash + " handled of " + sentAtCrash + " sent)",
        sent.get(),
        tally,
        total,
        queue,
        consumerStore.deadLetterCount());
    assertThat(consumerStore.deadLetterCount()).isZero();
  }

  @Test
  public final void aStoreOutageOnReceiveUsesUpNoDeliveries(@TempDir Path data) throws Exception {
    storeOutage()
        .run(
            data,
            new StoreOutageScenario.Broker() {
              @Override
              public Transport transport() {
                return newTransport();
              }

              @Override
              public int nativeDeadLetters() throws Exception {
                return TransportFaultSuite.this.nativeDeadLetters(StoreOutageScenario.QUEUE);
              }

              @Override
              public EnvelopeStore store(PostgresDatabase database, Duration connectionTimeout) {
                return newStore(database, connectionTimeout);
              }
            });
  }

  @Test
  public final void aHandlerThatHangsTimesOutAndTheRestFlow() throws Exception {
    String queue = "faults.hang";
    int total = 300;
    int hanging = 7;
    Tally tally = new Tally();
    EnvelopeStore store = newStore();
    MessageBus consumer =
        keep(
            MessageBus.builder()
                .serviceName("worker")
                .transport(newTransport())
                .store(store)
                .listeners(
                    ListenerOptions.defaults()
                        .concurrency(2)
                        .handlerTimeout(Duration.ofMillis(500)))
                .onError(ErrorPolicy.on(HandlerTimeoutException.class).retry(1).thenDeadLetter())
                .route(Work.class, "queue:" + queue)
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      if (w.n() == hanging) {
                        Thread.sleep(Long.MAX_VALUE); // a call that never answers
                      }
                      tally.handled(w.n());
                      return null;
                    })
                .build());
    MessageBus producer =
        keep(
            MessageBus.builder()
                .serviceName("client")
                .transport(newTransport())
                .route(Work.class, "queue:" + queue)
                .build());
    for (int i = 0; i < total / 2; i++) {
      producer.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> store.deadLetterCount() == 1);
    // Its slots and connections came back: the second half flows through the same listener.
    for (int i = total / 2; i < total; i++) {
      producer.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == total - 1);
    Thread.sleep(500);
    report("handler hanging on message " + hanging, total, tally, total - 1, queue, 1);
    var dead = consumer.deadLetters().list(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).reason()).isEqualTo(Reasons.HANDLER_FAILED);
    assertThat(dead.get(0).exceptionType()).isEqualTo(HandlerTimeoutException.class.getName());
    assertThat(dead.get(0).attempts()).isEqualTo(2);
    assertThat(tally.handled).doesNotContainKey(hanging);
  }

  @Test
  public final void loopsThatDieAreRestartedAndDeliveryGoesOn() throws Exception {
    String queue = "faults.loops";
    int total = 200;
    InjectedFaults senderFaults = new InjectedFaults();
    InjectedFaults relayFaults = new InjectedFaults();
    InjectedFaults listenerFaults = new InjectedFaults();
    Tally tally = new Tally();
    EnvelopeStore consumerStore = newStore();
    keep(
        MessageBus.builder()
            .serviceName("worker")
            .transport(listenerFaults.intoListeners(newTransport()))
            .store(consumerStore)
            .route(Work.class, "queue:" + queue)
            .handle(
                Work.class,
                (w, ctx) -> {
                  tally.handled(w.n());
                  return null;
                })
            .build());
    MessageBus producer =
        keep(
            MessageBus.builder()
                .serviceName("client")
                .transport(senderFaults.intoSenders(newTransport()))
                .store(relayFaults.into(EnvelopeStore.class, newStore(), "claimOutgoing"))
                .route(Work.class, "queue:" + queue)
                .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
                .build());
    for (int i = 0; i < total; i++) {
      producer.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == total);
    Thread.sleep(500);
    report(
        "loops dying (sender, relay, listener)",
        total,
        tally,
        total,
        queue,
        consumerStore.deadLetterCount());
    assertThat(senderFaults.calls()).as("sender faults injected").isGreaterThan(2);
    assertThat(relayFaults.calls()).as("relay faults injected").isGreaterThan(2);
    assertThat(listenerFaults.calls()).as("listener faults injected").isGreaterThan(2);
    assertThat(consumerStore.deadLetterCount()).isZero();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
