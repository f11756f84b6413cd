package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The destination goes away while producers keep committing: the circuit opens, a backlog of
 * {@value #BACKLOG} messages builds up in PostgreSQL and not in the heap, the transport sees only
 * probes, and once it is back every message arrives exactly once.
 */
@ExtendWith(PostgresExtension.class)
class CircuitBreakerBacklogTest {
  private static final Logger log = LoggerFactory.getLogger(CircuitBreakerBacklogTest.class);
  static final int BACKLOG = Integer.getInteger("backlog", 100_000);
  static final int OPENERS = 5;

  /** Written through the store in transactions of {@link #PER_TRANSACTION}. */
  static final int BATCHED = BACKLOG - 2_000;

  static final int PER_TRANSACTION = 1000;

  /** Producers calling {@code bus.send}, 100 per business transaction. */
  static final int SENDING_PRODUCERS = 2;

  static final Duration PROBE = Duration.ofMillis(500);
  static final int BATCH = 100;
  static final int SENDER_LOOPS = 2;
  static final long HEAP_BOUND = 64L << 20;

  @MessageType("ferry.test.backlog.item.v1")
  record Item(int n) {}

  private final PostgresDatabase db;
  private JdbiEnvelopeStore store;
  private MessageBus bus;

  CircuitBreakerBacklogTest(PostgresDatabase db) {
    this.db = db;
  }

  @AfterEach
  void stop() {
    if (bus != null) {
      bus.close();
    }
    if (store != null) {
      db.dropSchema(store.schema());
    }
  }

  @Test
  void aLargeBacklogWaitsInTheDatabaseNotTheHeapAndArrivesExactlyOnce() throws Exception {
    String queue = "backlog" + ProcessHandle.current().pid() + "x" + System.nanoTime();
    AtomicIntegerArray arrivals = new AtomicIntegerArray(BACKLOG + OPENERS);
    LongAdder handled = new LongAdder();
    LongAdder twice = new LongAdder();
    Sends sends = new Sends();
    HookedTransport transport =
        new HookedTransport(
            new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", queue))),
            a -> a.name().equals(queue),
            (real, batch) -> {
              sends.record(batch.size());
              if (sends.down) {
                throw new IOException("connection refused");
              }
              real.send(batch);
            });
    store = TestStores.builder(db).poolSize(10).build();
    bus =
        MessageBus.builder()
            .serviceName("backlog")
            .nodeId("backlog-node")
            .localBroker(queue)
            .transport(transport)
            .store(store)
            .messageTypes(Item.class)
            .route(Item.class, "queue:" + queue)
            .sender(
                SenderOptions.defaults()
                    .circuitBreakerFailures(3)
                    .circuitBreakerProbeInterval(PROBE)
                    .batchSize(BATCH)
                    .parallelism(SENDER_LOOPS))
            .outbox(OutboxOptions.defaults().batchSize(BATCH).pollInterval(Duration.ofMillis(100)))
            .listeners(ListenerOptions.defaults().concurrency(4).maxBatch(100))
            .handle(
                Item.class,
                (item, ctx) -> {
                  if (arrivals.incrementAndGet(item.n()) > 1) {
                    twice.increment();
                  }
                  handled.increment();
                  return null;
                })
            .build();
    Address destination = Address.parse("local:queue:" + queue);

    // The destination is down: a few sends open the circuit.
    for (int i = 0; i < OPENERS; i++) {
      bus.send(new Item(BACKLOG + i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> circuitOpen(destination));
    long heapBefore = usedHeapAfterGc();
    long callsAtOpen = sends.calls.get();
    long start = System.nanoTime();

    // A backlog committed while it is open: most of it written through the store in batches (as
    // the relay finds rows a failed dispatch released), the rest by producers calling bus.send in
    // business transactions at the same time.
    ExecutorService producers = Executors.newFixedThreadPool(1 + SENDING_PRODUCERS);
    Map<String, Duration> took = new ConcurrentSkipListMap<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      done.add(
          producers.submit(
              () -> {
                long began = System.nanoTime();
                for (int n = 0; n < BATCHED; n += PER_TRANSACTION) {
                  List<OutgoingEnvelope> batch = new ArrayList<>(PER_TRANSACTION);
                  for (int i = n; i < n + PER_TRANSACTION; i++) {
                    batch.add(item(i, destination));
                  }
                  FerryJdbi.useTransaction(
                      store,
                      h ->
                          store.storeOutgoing(
                              store.currentTransaction().orElseThrow(), batch, null, null));
                }
                took.put("batched", Duration.ofNanos(System.nanoTime() - began));
                return null;
              }));
      int share = (BACKLOG - BATCHED) / SENDING_PRODUCERS;
      for (int p = 0; p < SENDING_PRODUCERS; p++) {
        int from = BATCHED + p * share;
        done.add(
            producers.submit(
                () -> {
                  long began = System.nanoTime();
                  for (int n = from; n < from + share; n += 100) {
                    int first = n;
                    FerryJdbi.useTransaction(
                        store,
                        h -> {
                          for (int i = first; i < first + 100; i++) {
                            bus.send(new Item(i));
                          }
                        });
                  }
                  took.put("bus.send from " + from, Duration.ofNanos(System.nanoTime() - began));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      producers.shutdownNow();
    }
    Duration openFor = Duration.ofNanos(System.nanoTime() - start);
    long heapAfter = usedHeapAfterGc();
    long probes = sends.calls.get() - callsAtOpen;

    assertThat(circuitOpen(destination)).isTrue();
    assertThat(handled.sum()).as("nothing got through while down").isZero();
    assertThat(store.outgoingCount()).isEqualTo(BACKLOG + OPENERS);
    assertThat(heapAfter - heapBefore)
        .as(
            "heap growth over a backlog of %d (%d MB before, %d MB after)",
            BACKLOG, heapBefore >> 20, heapAfter >> 20)
        .isLessThan(HEAP_BOUND);
    assertThat(probes)
        .as("only probes reach the transport while open (%s open)", openFor)
        // a probe batch may be split over the sender loops
        .isLessThanOrEqualTo(SENDER_LOOPS * (openFor.toMillis() / PROBE.toMillis() + 2));
    assertThat(sends.largest.get()).as("a probe is one batch at most").isLessThanOrEqualTo(BATCH);

    // It is back: everything arrives, once.
    long back = System.nanoTime();
    sends.down = false;
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> handled.sum() >= BACKLOG + OPENERS);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.outgoingCount() == 0);
    Duration drain = Duration.ofNanos(System.nanoTime() - back);
    Thread.sleep(300); // room for a late duplicate
    assertThat(handled.sum()).isEqualTo(BACKLOG + OPENERS);
    assertThat(twice.sum()).as("handled twice").isZero();
    assertThat(bus.metrics().duplicates()).as("redelivered and skipped by the inbox").isZero();
    for (int i = 0; i < BACKLOG + OPENERS; i++) {
      assertThat(arrivals.get(i)).as("message %d", i).isEqualTo(1);
    }
    assertThat(circuitOpen(destination)).isFalse();
    long heapDrained = usedHeapAfterGc();
    log.info(
        "Backlog of {} stored in {} while open ({}; {} send calls, largest {}); heap after GC {}"
            + " MB before, {} MB with the backlog, {} MB after the drain; drained in {}",
        BACKLOG,
        openFor,
        took,
        probes,
        sends.largest.get(),
        heapBefore >> 20,
        heapAfter >> 20,
        heapDrained >> 20,
        drain);
    assertThat(heapDrained - heapBefore).as("heap after the drain").isLessThan(HEAP_BOUND);
  }

  /** The envelope {@code bus.send(new Item(n))} would store. */
  private static OutgoingEnvelope item(int n, Address destination) {
    Envelope e =
        Envelope.builder()
            .id(UUID.randomUUID().toString())
            .messageType("ferry.test.backlog.item.v1")
            .contentType("application/json")
            .source("backlog")
            .sentAt(Instant.now())
            .body(("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8))
            .build();
    return new OutgoingEnvelope(e, destination, null);
  }

  /** What the transport was asked to send. */
  private static final class Sends {
    volatile boolean down = true;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong largest = new AtomicLong();

    void record(int size) {
      if (down) {
        calls.incrementAndGet();
        largest.accumulateAndGet(size, Math::max);
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The circuit to a destination, as the bus's public status reports it. */
  private boolean circuitOpen(Address destination) {
    return bus.status().destinations().stream()
        .anyMatch(d -> d.address().equals(destination) && d.circuitOpen());
  }
}
