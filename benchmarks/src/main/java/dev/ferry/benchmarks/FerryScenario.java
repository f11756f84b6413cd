package dev.ferry.benchmarks;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import java.util.function.Supplier;

/**
 * Ferry from one service to another: a producer thread calls {@code bus.send}, a handler in the
 * other bus records the latency. The transport and store come from the supplied builders, so the
 * same scenario measures every combination.
 */
final class FerryScenario implements Scenario {
  private final String name;
  private final Supplier<BusBuilder> senderBus;
  private final Supplier<BusBuilder> receiverBus;
  private int run;

  FerryScenario(String name, Supplier<BusBuilder> senderBus, Supplier<BusBuilder> receiverBus) {
    this.name = name;
    this.senderBus = senderBus;
    this.receiverBus = receiverBus;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Result run(int messages) throws Exception {
    String queue = "queue:bench.ferry." + name.replaceAll("[^a-z0-9]+", "-") + "." + (++run);
    Latencies latencies = new Latencies(messages);
    try (MessageBus receiver =
            receiverBus
                .get()
                .serviceName("bench-receiver")
                .route(Payload.class, queue)
                .handle(
                    Payload.class,
                    (p, ctx) -> {
                      latencies.record(p.sentNanos());
                      return null;
                    })
                .build();
        MessageBus sender =
            senderBus
                .get()
                .serviceName("bench-sender")
                .route(Payload.class, queue)
                .messageTypes(Payload.class)
                .build()) {
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        sender.send(Payload.of(i));
      }
      long sent = System.nanoTime();
      while (sender.metrics().delivered() < messages && latencies.count() < messages) {
        Thread.sleep(1);
      }
      long delivered = System.nanoTime();
      latencies.await(600);
      if (Boolean.getBoolean("bench.verbose")) {
        System.out.printf(
            "  %s: send calls %.2fs, at broker %.2fs, handled %.2fs%n",
            name,
            (sent - start) / 1e9,
            (delivered - start) / 1e9,
            (latencies.lastNanos() - start) / 1e9);
      }
      long end = latencies.lastNanos();
      return new Result(
          name,
          latencies.count(),
          (end - start) / 1e9,
          latencies.percentileMillis(50),
          latencies.percentileMillis(95),
          latencies.percentileMillis(99),
          Rss.peakMb());
    }
  }
}
