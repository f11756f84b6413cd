package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.conformance.InjectedFaults;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every long-running loop survives what is thrown into it: a RuntimeException and then an Error are
 * injected into the sender loop (through the transport's sender), the relay (through the store's
 * claim) and the local listener (through an observer), and delivery goes on.
 */
class SupervisedLoopsTest {
  private MessageBus bus;

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  @Test
  void theSenderLoopGoesOnAfterARuntimeExceptionAndAnError() {
    String broker = UUID.randomUUID().toString();
    InjectedFaults faults = new InjectedFaults();
    LocalTransport local = new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", broker)));
    Transport transport = faults.intoSenders(local);
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    bus =
        MessageBus.builder()
            .localBroker(broker)
            .transport(transport)
            .sender(SenderOptions.defaults().parallelism(1))
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
            .handle(Work.class, notingIn(handled))
            .build();
    for (int i = 0; i < 20; i++) {
      bus.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 20);
    assertThat(faults.calls()).isGreaterThan(2);
    assertThat(bus.metrics().deadLettered()).isZero();
  }

  @Test
  void theRelayGoesOnAfterARuntimeExceptionAndAnError() {
    InjectedFaults faults = new InjectedFaults();
    EnvelopeStore store =
        faults.into(
            EnvelopeStore.class,
            new InMemoryEnvelopeStore(1000, 1000, 1000, Duration.ofSeconds(1)),
            "claimOutgoing");
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .store(store)
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(50)))
            .handle(Work.class, notingIn(handled))
            .build();
    await().atMost(Duration.ofSeconds(5)).until(() -> faults.calls() >= 2);
    // Scheduled messages leave only through the relay on the local transport.
    bus.schedule(new Work(1), Duration.ofMillis(200));
    bus.schedule(new Work(2), Duration.ofMillis(400));
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
  }

  /** A handler that notes the number of each work item it handles in {@code handled}. */
  private static MessageHandler<Work> notingIn(Set<Integer> handled) {
    return (m, ctx) -> {
      handled.add(m.n());
      return null;
    };
  }
}
