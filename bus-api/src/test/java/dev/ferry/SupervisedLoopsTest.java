package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.config.FerryConfig;
import dev.ferry.conformance.TestMessages.Work;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Throws a RuntimeException on the first call, an Error on the second, then works. */
  private static final class Faults {
    final AtomicInteger calls = new AtomicInteger();

    void maybeThrow() {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw new IllegalStateException("injected RuntimeException");
      }
      if (n == 2) {
        throw new StackOverflowError("injected Error");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T wrap(Class<T> type, T target, String method, Faults faults) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                faults.maybeThrow();
              }
              try {
                return m.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void theSenderLoopGoesOnAfterARuntimeExceptionAndAnError() {
    String broker = UUID.randomUUID().toString();
    Faults faults = new Faults();
    LocalTransport local = new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", broker)));
    Transport transport =
        (Transport)
            Proxy.newProxyInstance(
                Transport.class.getClassLoader(),
                new Class<?>[] {Transport.class},
                (proxy, m, args) -> {
                  try {
                    Object result = m.invoke(local, args);
                    return m.getName().equals("sender")
                        ? wrap(Sender.class, (Sender) result, "send", faults)
                        : result;
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    bus =
        MessageBus.builder()
            .localBroker(broker)
            .transport(transport)
            .senderParallelism(1)
            .outboxPollInterval(Duration.ofMillis(100))
            .handle(
                Work.class,
                (m, ctx) -> {
                  handled.add(m.n());
                  return null;
                })
            .build();
    for (int i = 0; i < 20; i++) {
      bus.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> handled.size() == 20);
    assertThat(faults.calls.get()).isGreaterThan(2);
    assertThat(bus.metrics().deadLettered()).isZero();
  }

  @Test
  void theRelayGoesOnAfterARuntimeExceptionAndAnError() {
    Faults faults = new Faults();
    EnvelopeStore store =
        wrap(
            EnvelopeStore.class,
            new InMemoryEnvelopeStore(1000, 1000, 1000, Duration.ofSeconds(1)),
            "claimOutgoing",
            faults);
    Set<Integer> handled = ConcurrentHashMap.newKeySet();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .store(store)
            .outboxPollInterval(Duration.ofMillis(50))
            .handle(
                Work.class,
                (m, ctx) -> {
                  handled.add(m.n());
                  return null;
                })
            .build();
    await().atMost(Duration.ofSeconds(5)).until(() -> faults.calls.get() >= 2);
    // Scheduled messages leave only through the relay on the local transport.
    bus.schedule(new Work(1), Duration.ofMillis(200));
    bus.schedule(new Work(2), Duration.ofMillis(400));
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
  }
}
