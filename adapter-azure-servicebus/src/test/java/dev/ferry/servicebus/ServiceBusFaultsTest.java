package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.MessageTooLargeException;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.conformance.TestMessages.Big;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A namespace that goes away, entities that are missing, locks that run out, messages too big. */
class ServiceBusFaultsTest {
  private static ServiceBusTestDouble serviceBus;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startDouble() {
    EntitySettings shortLocks = EntitySettings.defaults().withLockDuration(Duration.ofSeconds(1));
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("faults.work", shortLocks)
            .queue("faults.slow", shortLocks)
            .queue("faults.size")
            .start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    if (!serviceBus.isRunning()) {
      serviceBus.restart();
    }
  }

  private <T extends AutoCloseable> T keep(T t) {
    closeables.add(t);
    return t;
  }

  @Test
  void aRestartMidStreamLosesNothingAndHandlesNothingTwice() throws Exception {
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    keep(
        MessageBus.builder()
            .serviceName("worker")
            .transport(Doubles.transport(serviceBus).build())
            .listeners(ListenerOptions.defaults().concurrency(4))
            .route(Work.class, "queue:faults.work")
            .handle(
                Work.class,
                (w, ctx) -> {
                  Thread.sleep(2);
                  if (!handled.add(w.n())) {
                    duplicates.incrementAndGet();
                  }
                  return null;
                })
            .build());
    MessageBus sender =
        keep(
            MessageBus.builder()
                .serviceName("sender")
                .transport(Doubles.transport(serviceBus).tryTimeout(Duration.ofSeconds(1)).build())
                .route(Work.class, "queue:faults.work")
                .sender(
                    SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofMillis(300)))
                .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
                .build());
    for (int i = 0; i < 300; i++) {
      sender.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() >= 50);

    serviceBus.stop(); // mid-stream: messages in flight, locked and waiting
    for (int i = 300; i < 400; i++) {
      sender.send(new Work(i)); // accepted into the outbox while Service Bus is down
    }
    Thread.sleep(1000);
    serviceBus.restart();

    await().atMost(Duration.ofSeconds(40)).until(() -> handled.size() == 400);
    assertThat(duplicates.get()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceBus.entity("faults.work").messages().isEmpty());
  }

  @Test
  void aLockLostOnASlowHandlerDoesNotMakeItRunTwice() {
    AtomicInteger calls = new AtomicInteger();
    MessageBus bus =
        keep(
            MessageBus.builder()
                .serviceName("slow")
                .transport(Doubles.transport(serviceBus).maxLockRenewal(Duration.ZERO).build())
                .listeners(ListenerOptions.defaults().concurrency(1))
                .route(Work.class, "queue:faults.slow")
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      calls.incrementAndGet();
                      Thread.sleep(2000); // twice the lock duration, and no renewal
                      return null;
                    })
                .build());
    bus.send(new Work(1));
    // Wait for the second delivery to be settled, not only for an empty queue: the queue is empty
    // too before the send has reached it.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                serviceBus.operations("deliver").stream()
                            .filter(op -> op.entity().equals("faults.slow"))
                            .count()
                        == 2
                    && serviceBus.entity("faults.slow").messages().isEmpty());
    assertThat(calls.get()).isEqualTo(1);
    assertThat(serviceBus.operations("lock-expired"))
        .anySatisfy(op -> assertThat(op.entity()).isEqualTo("faults.slow"));
    assertThat(serviceBus.operations("deliver"))
        .filteredOn(op -> op.entity().equals("faults.slow"))
        .hasSize(2);
    assertThat(bus.deadLetters().count()).isZero();
  }

  @Test
  void sendingToAMissingEntityFailsNamingIt() throws Exception {
    ServiceBusTransport transport = startedTransport(Doubles.transport(serviceBus));
    try (Sender sender = transport.sender(Address.queue("faults.nowhere"))) {
      assertThatThrownBy(() -> sender.send(List.of(Envelope.builder().messageType("t.v1").build())))
          .isInstanceOf(FerryException.class)
          .hasMessageContaining("'faults.nowhere' does not exist")
          .hasMessageContaining("queue:faults.nowhere");
    }
  }

  @Test
  void aListenerOnAMissingEntityStartsOnceItIsCreated() {
    List<Integer> got = new CopyOnWriteArrayList<>();
    keep(
        MessageBus.builder()
            .serviceName("late")
            .transport(
                Doubles.transport(serviceBus).entityCheckInterval(Duration.ofMillis(200)).build())
            .route(Work.class, "queue:faults.late")
            .handle(
                Work.class,
                (w, ctx) -> {
                  got.add(w.n());
                  return null;
                })
            .build());
    serviceBus.createQueue("faults.late", EntitySettings.defaults());
    MessageBus sender =
        keep(
            MessageBus.builder()
                .serviceName("sender")
                .transport(Doubles.transport(serviceBus).build())
                .route(Work.class, "queue:faults.late")
                .build());
    sender.send(new Work(7));
    await().atMost(Duration.ofSeconds(10)).until(() -> got.contains(7));
  }

  @Test
  void aMessageThatCannotFitFailsBeforeAnyOfItsBatchIsSent() throws Exception {
    ServiceBusTransport transport = startedTransport(Doubles.transport(serviceBus));
    Envelope small = Envelope.builder().messageType("t.v1").body(new byte[10]).build();
    Envelope hugeHeaders =
        Envelope.builder()
            .id("too-big")
            .messageType("t.v1")
            .header("notes", "n".repeat(300 * 1024))
            .build();
    try (Sender sender = transport.sender(Address.queue("faults.size"))) {
      assertThatThrownBy(() -> sender.send(List.of(small, hugeHeaders)))
          .isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("too-big")
          .hasMessageContaining(String.valueOf(ServiceBusTestDouble.DEFAULT_MAX_MESSAGE_SIZE))
          .hasMessageContaining("bytes");
    }
    assertThat(serviceBus.entity("faults.size").messages()).isEmpty();
  }

  @Test
  void theBodyLimitFollowsTheConfiguredEntityLimit() {
    assertThat(Doubles.transport(serviceBus).build().capabilities().maxMessageBytes())
        .isEqualTo(256 * 1024 - 4096);
    try (ServiceBusTestDouble premium =
        ServiceBusTestDouble.builder().queue("big").maxMessageSize(1024 * 1024).start()) {
      List<Integer> sizes = new CopyOnWriteArrayList<>();
      try (MessageBus bus =
          MessageBus.builder()
              .serviceName("big")
              .transport(Doubles.transport(premium).maxMessageBytes(1024 * 1024).build())
              .route(Big.class, "queue:big")
              .handle(
                  Big.class,
                  (b, ctx) -> {
                    sizes.add(b.payload().length());
                    return null;
                  })
              .build()) {
        bus.send(new Big("x".repeat(600 * 1024)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !sizes.isEmpty());
      }
      assertThat(sizes).containsExactly(600 * 1024);
    }
  }

  private ServiceBusTransport startedTransport(ServiceBusTransport.Builder builder) {
    ServiceBusTransport transport = keep(builder.build());
    transport.start(
        new TransportContext(
            "faults", "node-1", FerryConfig.of(Map.of()), HostExecutors.bounded()));
    return transport;
  }
}
