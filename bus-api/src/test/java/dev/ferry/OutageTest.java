package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Work;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport goes away: messages are kept, the circuit opens, and all arrive once it is back.
 */
class OutageTest {
  /** The real local transport with a switch that makes its senders fail like a lost broker. */
  static final class SwitchableTransport implements Transport {
    final LocalTransport local;
    volatile boolean down;
    final AtomicInteger sendCalls = new AtomicInteger();

    SwitchableTransport(String broker) {
      local = new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", broker)));
    }

    @Override
    public String name() {
      return local.name();
    }

    @Override
    public TransportCapabilities capabilities() {
      return local.capabilities();
    }

    @Override
    public void start(TransportContext context) {
      local.start(context);
    }

    @Override
    public Sender sender(Address destination) {
      Sender real = local.sender(destination);
      return new Sender() {
        @Override
        public Address destination() {
          return destination;
        }

        @Override
        public void send(List<Envelope> batch) throws Exception {
          sendCalls.incrementAndGet();
          if (down) {
            throw new IOException("connection refused");
          }
          real.send(batch);
        }

        @Override
        public void close() {
          real.close();
        }
      };
    }

    @Override
    public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
      return local.listen(source, settings, handler);
    }

    @Override
    public void close() {
      local.close();
    }
  }

  private MessageBus bus;

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  @Test
  void circuitOpensWhileDownAndEverythingArrivesOnceBack() {
    String broker = UUID.randomUUID().toString();
    SwitchableTransport transport = new SwitchableTransport(broker);
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    bus =
        MessageBus.builder()
            .localBroker(broker)
            .transport(transport)
            .sender(
                SenderOptions.defaults()
                    .circuitBreakerFailures(3)
                    .circuitBreakerProbeInterval(Duration.ofMillis(300)))
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
            .handle(
                Work.class,
                (m, ctx) -> {
                  if (!handled.add(m.n())) {
                    duplicates.incrementAndGet();
                  }
                  return null;
                })
            .build();
    Address queue = Address.queue("ferry.test.work.v1");
    transport.down = true;
    for (int i = 0; i < 2000; i++) {
      bus.send(new Work(i)); // accepted: stored in the outbox while the transport is down
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> circuitOpen(bus, queue));
    BusStatus open = bus.status();
    assertThat(open.storeAnswers()).isTrue();
    assertThat(open.listeners())
        .extracting(l -> l.endpoint().name(), BusStatus.Listening::holding)
        .contains(tuple(queue.name(), false));
    sleep(300); // batches that were already being sent when it opened fail first
    int callsWhenOpen = transport.sendCalls.get();
    sleep(1000);
    // While open, only probes (about one per 300ms) reach the transport, not every message.
    assertThat(transport.sendCalls.get() - callsWhenOpen).isLessThanOrEqualTo(6);
    assertThat(handled).isEmpty();

    transport.down = false;
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == 2000);
    assertThat(circuitOpen(bus, queue)).isFalse();
    assertThat(duplicates.get()).isZero();
  }

  @Test
  void fullInMemoryOutboxRefusesNewMessagesInsteadOfGrowing() {
    String broker = UUID.randomUUID().toString();
    SwitchableTransport transport = new SwitchableTransport(broker);
    transport.down = true;
    bus =
        MessageBus.builder()
            .localBroker(broker)
            .transport(transport)
            .inMemory(InMemoryOptions.defaults().outboxCapacity(100))
            .sender(SenderOptions.defaults().timeout(Duration.ofMillis(200)))
            .build();
    for (int i = 0; i < 100; i++) {
      bus.send(new Work(i));
    }
    assertThatThrownBy(() -> bus.send(new Work(101)))
        .isInstanceOf(BackPressureException.class)
        .hasMessageContaining("ferry.memory.outbox-capacity");
  }

  @Test
  void fullLocalQueueMakesSendersWaitNotDrop() {
    String broker = UUID.randomUUID().toString();
    AtomicInteger handled = new AtomicInteger();
    bus =
        MessageBus.builder()
            .localBroker(broker)
            .inMemory(InMemoryOptions.defaults().queueCapacity(10))
            .listeners(ListenerOptions.defaults().concurrency(1))
            .handle(
                Work.class,
                (m, ctx) -> {
                  Thread.sleep(2);
                  handled.incrementAndGet();
                  return null;
                })
            .build();
    for (int i = 0; i < 500; i++) {
      bus.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.get() == 500);
    assertThat(LocalTransport.depth(broker, Address.queue("ferry.test.work.v1"))).isZero();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The circuit to a destination, as the bus's public status reports it. */
  static boolean circuitOpen(MessageBus bus, Address destination) {
    return bus.status().destinations().stream()
        .anyMatch(d -> d.address().name().equals(destination.name()) && d.circuitOpen());
  }
}
