package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Ping;
import dev.ferry.TestMessages.Pong;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.SendScope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trace context an observer gives a message at send is the one its receiver sees. */
class SendScopeTest {

  /** Gives every message a traceparent with a span id counted up, as a tracer would. */
  static final class NumberingObserver implements MessageObserver {
    final AtomicInteger spans = new AtomicInteger();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final Map<String, String> receivedTrace = new ConcurrentHashMap<>();

    @Override
    public SendScope sending(Envelope envelope, Address destination) {
      String parent = String.format("00-%032x-%016x-01", 7, spans.incrementAndGet());
      return new SendScope() {
        @Override
        public String traceParent() {
          return parent;
        }

        @Override
        public String traceState() {
          return "ferry=test";
        }

        @Override
        public void close() {
          closed.add(parent);
        }
      };
    }

    @Override
    public void received(Envelope envelope, Address endpoint, int attempt) {
      receivedTrace.put(
          envelope.messageType(), envelope.traceParent() + ";" + envelope.traceState());
    }
  }

  @Test
  void sentAndCascadedMessagesCarryTheContextTheObserverGave() {
    NumberingObserver observer = new NumberingObserver();
    try (MessageBus bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .observer(observer)
            .handle(Ping.class, (m, ctx) -> new Pong(m.n()))
            .handle(Pong.class, (m, ctx) -> null)
            .build()) {
      bus.send(new Ping(1));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> observer.receivedTrace.containsKey("ferry.test.pong.v1"));
      String first = String.format("00-%032x-%016x-01", 7, 1);
      String second = String.format("00-%032x-%016x-01", 7, 2);
      assertThat(observer.receivedTrace)
          .containsEntry("ferry.test.ping.v1", first + ";ferry=test")
          .containsEntry("ferry.test.pong.v1", second + ";ferry=test");
      assertThat(observer.closed).containsExactly(first, second);
    }
  }

  @Test
  void withoutAnObserverFerryMakesAChildOfTheHandledMessagesTrace() {
    Map<String, String> traces = new ConcurrentHashMap<>();
    MessageObserver recorder =
        new MessageObserver() {
          @Override
          public void received(Envelope envelope, Address endpoint, int attempt) {
            traces.put(envelope.messageType(), envelope.traceParent());
          }
        };
    try (MessageBus bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .observer(recorder)
            .handle(Ping.class, (m, ctx) -> new Pong(m.n()))
            .handle(Pong.class, (m, ctx) -> null)
            .build()) {
      bus.send(new Ping(1));
      await().atMost(Duration.ofSeconds(10)).until(() -> traces.containsKey("ferry.test.pong.v1"));
      String ping = traces.get("ferry.test.ping.v1");
      String pong = traces.get("ferry.test.pong.v1");
      assertThat(pong.substring(0, 36)).isEqualTo(ping.substring(0, 36));
      assertThat(pong).isNotEqualTo(ping);
    }
  }
}
