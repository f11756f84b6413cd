package dev.ferry.benchmarks;

import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.SenderOptions;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import java.io.BufferedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A large backlog produced while the broker is down: the messages wait in the PostgreSQL outbox,
 * the process's memory stays bounded, and every one is delivered once the broker is back. The
 * benchmark process stops and restarts the broker when this one says so on its output.
 */
final class BacklogScenario implements Scenario {
  private final String brokerUrl;
  private final DataSource dataSource;
  private final BufferedReader control;

  BacklogScenario(String brokerUrl, DataSource dataSource, BufferedReader control) {
    this.brokerUrl = brokerUrl;
    this.dataSource = dataSource;
    this.control = control;
  }

  @Override
  public String name() {
    return "backlog while the broker is down";
  }

  @SuppressWarnings("try") // the receiving bus only has to be open while the run sends
  @Override
  public Result run(int messages, int rate) throws Exception {
    String queue = "queue:bench.backlog";
    boolean[] seen = new boolean[messages];
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicLong lastHandled = new AtomicLong();
    JdbiEnvelopeStore senderStore =
        JdbiEnvelopeStore.builder().dataSource(dataSource).schema("bench_backlog").build();
    try (MessageBus receiver =
            MessageBus.builder()
                .serviceName("backlog-receiver")
                .transport(
                    JmsTransport.builder()
                        .url(brokerUrl)
                        .reconnectMaxDelay(Duration.ofSeconds(1))
                        .build())
                .store(
                    JdbiEnvelopeStore.builder()
                        .dataSource(dataSource)
                        .schema("bench_backlog")
                        .build())
                .route(Payload.class, queue)
                .listeners(ListenerOptions.defaults().concurrency(4).maxBatch(100))
                .handle(
                    Payload.class,
                    (p, ctx) -> {
                      synchronized (seen) {
                        if (seen[p.n()]) {
                          duplicates.incrementAndGet();
                        } else {
                          seen[p.n()] = true;
                          handled.incrementAndGet();
                        }
                      }
                      lastHandled.set(System.nanoTime());
                      return null;
                    })
                .build();
        MessageBus sender =
            MessageBus.builder()
                .serviceName("backlog-sender")
                .transport(
                    JmsTransport.builder()
                        .url(brokerUrl)
                        .reconnectMaxDelay(Duration.ofSeconds(1))
                        .build())
                .store(senderStore)
                .route(Payload.class, queue)
                .messageTypes(Payload.class)
                .sender(SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofSeconds(1)))
                .build()) {
      System.out.println("READY");
      expect("BROKER-DOWN");
      long produceStart = System.nanoTime();
      AtomicInteger next = new AtomicInteger();
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    while (true) {
                      int first = next.getAndAdd(100);
                      if (first >= messages) {
                        return;
                      }
                      int count = Math.min(100, messages - first);
                      FerryJdbi.useTransaction(
                          senderStore,
                          h -> {
                            for (int i = 0; i < count; i++) {
                              sender.send(Payload.of(first + i));
                            }
                          });
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        w.start();
        producers.add(w);
      }
      for (Thread w : producers) {
        w.join();
      }
      double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
      long rssWhileDown = Rss.peakMb();
      System.out.printf(
          Locale.ROOT,
          "PRODUCED %d in %.1f s, %d waiting in the outbox, peak RSS" + " %d MB%n",
          messages,
          produceSeconds,
          senderStore.outgoingCount(),
          rssWhileDown);
      System.out.println("PLEASE-START-BROKER");
      expect("BROKER-UP");
      long deliverStart = System.nanoTime();
      long deadline = deliverStart + Duration.ofMinutes(15).toNanos();
      while (handled.get() < messages && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(1000); // late duplicates, if any, would arrive now
      double deliverSeconds = (Math.max(lastHandled.get(), deliverStart) - deliverStart) / 1e9;
      String note =
          String.format(
              Locale.ROOT,
              "sent %d, handled %d, duplicates %d, lost %d;"
                  + " stored in %.0f s; delivered in %.0f s (%.0f msg/s)",
              messages,
              handled.get(),
              duplicates.get(),
              messages - handled.get(),
              produceSeconds,
              deliverSeconds,
              handled.get() / Math.max(deliverSeconds, 0.001));
      return new Result(
          name(),
          "backlog",
          handled.get(),
          produceSeconds + deliverSeconds,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Rss.peakMb(),
          note);
    }
  }

  private void expect(String word) throws Exception {
    String line;
    while ((line = control.readLine()) != null) {
      if (line.trim().equals(word)) {
        return;
      }
    }
    throw new IllegalStateException("The benchmark process went away before " + word);
  }
}
