package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Ping;
import dev.ferry.TestMessages.Pong;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Reply addresses come from the wire: each distinct one used to get a sender agent (threads and a
 * buffer) for good. Many distinct addresses must leave threads and agents bounded, and every reply
 * must still arrive.
 */
class ReplyDestinationsTest {
  private static final int REQUESTS = 10_000;
  private static final int MAX_DESTINATIONS = 8;

  @Test
  void distinctReplyAddressesKeepSendersBoundedAndLoseNoReply() throws Exception {
    String broker = UUID.randomUUID().toString();
    AtomicInteger handled = new AtomicInteger();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int threadsBefore = threads.getThreadCount();
    try (MessageBus bus =
        MessageBus.builder()
            .sender(SenderOptions.defaults().parallelism(1).maxDestinations(MAX_DESTINATIONS))
            .handle(
                Ping.class,
                (ping, ctx) -> {
                  ctx.respond(new Pong(ping.n()));
                  handled.incrementAndGet();
                  return null;
                })
            .localBroker(broker)
            .build()) {
      int threadsStarted = threads.getThreadCount();
      LocalTransport raw = new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", broker)));
      raw.start(
          new TransportContext("raw", "raw", FerryConfig.of(Map.of()), HostExecutors.bounded()));
      List<Address> replyAddresses =
          IntStream.range(0, REQUESTS)
              .mapToObj(i -> Address.queue("reply-" + i).on("local"))
              .toList();
      int[] peakThreads = {0};
      int[] peakAgents = {0};
      Runnable sample =
          () -> {
            peakThreads[0] = Math.max(peakThreads[0], threads.getThreadCount());
            peakAgents[0] = Math.max(peakAgents[0], bus.status().destinations().size());
            // Checked while the requests run, so that unbounded growth fails at once.
            assertThat(peakAgents[0])
                .as("sender agents live at once")
                .isLessThanOrEqualTo(MAX_DESTINATIONS);
            // Each agent holds two threads (one sender loop, one deleter); retired ones end
            // within a queue poll, so a few may be winding down at a sample.
            assertThat(peakThreads[0] - threadsStarted)
                .as("threads beyond those of the started bus (%d before it)", threadsBefore)
                .isLessThanOrEqualTo(4 * MAX_DESTINATIONS * 2);
          };
      try (Sender s = raw.sender(Address.queue("ferry.test.ping.v1").on("local"))) {
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          batch.add(
              Envelope.builder()
                  .messageType("ferry.test.ping.v1")
                  .replyTo(replyAddresses.get(i).toString())
                  .body(("{\"n\":" + i + "}").getBytes())
                  .build());
          if (batch.size() == 100) {
            s.send(batch);
            batch.clear();
            sample.run();
          }
        }
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                sample.run();
                return replyAddresses.stream().allMatch(a -> LocalTransport.depth(broker, a) == 1);
              });
      raw.close();

      assertThat(handled.get()).isEqualTo(REQUESTS);
      sample.run();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> threads.getThreadCount() - threadsStarted <= MAX_DESTINATIONS * 2 + 4);
    }
  }
}
