package dev.ferry.benchmarks;

import dev.ferry.BusBuilder;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import javax.sql.DataSource;

/**
 * Ferry from one service to another over JMS: producer threads call {@code bus.send} (inside
 * business transactions of {@code txSize} messages when durable), a handler in the other service
 * records the latency. Durable means the PostgreSQL store on both sides: outbox and relay for the
 * sender, the inbox for the receiver. With telemetry, both services report Ferry's spans and
 * metrics to an OpenTelemetry SDK (see {@link BenchTelemetry}).
 */
final class FerryScenario implements Scenario {
  private final String name;
  private final java.util.function.Supplier<dev.ferry.spi.Transport> transport;
  private final DataSource dataSource;
  private final int producers;
  private final int txSize;
  private final BenchTelemetry telemetry;
  private int run;

  /**
   * @param dataSource null for the in-memory store (non-durable)
   * @param txSize messages per business transaction (durable only)
   */
  FerryScenario(String name, String brokerUrl, DataSource dataSource, int producers, int txSize) {
    this(name, brokerUrl, dataSource, producers, txSize, null);
  }

  /** With {@code telemetry} non-null, every bus of the scenario reports to it. */
  FerryScenario(
      String name,
      String brokerUrl,
      DataSource dataSource,
      int producers,
      int txSize,
      BenchTelemetry telemetry) {
    this(
        name,
        () -> JmsTransport.builder().url(brokerUrl).build(),
        dataSource,
        producers,
        txSize,
        telemetry);
  }

  FerryScenario(
      String name,
      java.util.function.Supplier<dev.ferry.spi.Transport> transport,
      DataSource dataSource,
      int producers,
      int txSize) {
    this(name, transport, dataSource, producers, txSize, null);
  }

  private FerryScenario(
      String name,
      java.util.function.Supplier<dev.ferry.spi.Transport> transport,
      DataSource dataSource,
      int producers,
      int txSize,
      BenchTelemetry telemetry) {
    this.telemetry = telemetry;
    this.name = name;
    this.transport = transport;
    this.dataSource = dataSource;
    this.producers = producers;
    this.txSize = txSize;
  }

  @Override
  public String name() {
    return name;
  }

  private JdbiEnvelopeStore newStore() {
    return dataSource == null
        ? null
        : JdbiEnvelopeStore.builder().dataSource(dataSource).schema("bench").build();
  }

  private BusBuilder bus(String service, String queue, JdbiEnvelopeStore store) {
    BusBuilder b =
        MessageBus.builder()
            .serviceName(service)
            .transport(transport.get())
            .route(Payload.class, queue)
            .listeners(ListenerOptions.defaults().concurrency(4).maxBatch(100));
    if (store != null) {
      b.store(store);
    }
    if (telemetry != null) {
      b.observer(telemetry.ferry().observer());
    }
    return b;
  }

  @SuppressWarnings("try") // the receiving bus only has to be open while the run sends
  @Override
  public Result run(int messages, int rate) throws Exception {
    String queue = "queue:bench.ferry." + name.replaceAll("[^a-z0-9]+", "-") + "." + (++run);
    Latencies latencies = new Latencies(messages);
    JdbiEnvelopeStore store = newStore();
    try (MessageBus receiver =
            bus("bench-receiver", queue, newStore())
                .handle(
                    Payload.class,
                    (p, ctx) -> {
                      latencies.record(p.sentNanos());
                      return null;
                    })
                .build();
        MessageBus sender = bus("bench-sender", queue, store).messageTypes(Payload.class).build()) {
      long cpuBefore = processCpuNanos();
      long start =
          Pacer.produce(producers, messages, Math.max(1, txSize), rate, sendChunk(sender, store));
      latencies.result(name, rate, start, ""); // waits for the last message
      // CPU per message of this process (both services): the cost of the code, less sensitive
      // than throughput to other work on a shared machine.
      long cpu = processCpuNanos() - cpuBefore;
      int received = Math.max(1, latencies.count());
      return latencies.result(
          name,
          rate,
          start,
          String.format(java.util.Locale.ROOT, "CPU %.1f us/msg", cpu / 1e3 / received));
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Sends a chunk of payloads, in one store transaction when there is a store. */
  private static Pacer.Chunk sendChunk(MessageBus sender, JdbiEnvelopeStore store) {
    return (first, count) -> {
      if (store == null) {
        for (int i = 0; i < count; i++) {
          sender.send(Payload.of(first + i));
        }
      } else {
        FerryJdbi.useTransaction(
            store,
            h -> {
              for (int i = 0; i < count; i++) {
                sender.send(Payload.of(first + i));
              }
            });
      }
    };
  }
}
