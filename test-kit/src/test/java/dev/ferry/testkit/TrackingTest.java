package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.MessageBus;
import dev.ferry.testkit.conformance.TestMessages.Event;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The harness users write their own tests with. */
class TrackingTest {

  @SuppressWarnings("try") // the ponger only has to be open to answer
  // tag::tracking[]
  @Test
  void waitsForEveryCascadeAcrossServices() {
    String broker = UUID.randomUUID().toString();
    MessageTracking tracking = new MessageTracking();
    try (MessageBus pinger =
            MessageBus.builder()
                .serviceName("pinger")
                .localBroker(broker)
                .observer(tracking)
                .handle(Pong.class, (pong, ctx) -> pong.n() < 3 ? new Ping(pong.n() + 1) : null)
                .build();
        MessageBus ponger =
            MessageBus.builder()
                .serviceName("ponger")
                .localBroker(broker)
                .observer(tracking)
                .handle(Ping.class, (ping, ctx) -> new Pong(ping.n()))
                .build()) {

      TrackedSession session = tracking.execute(() -> pinger.send(new Ping(1)));

      assertThat(session.handled(Ping.class)).hasSize(3);
      assertThat(session.handled(Pong.class)).hasSize(3);
      assertThat(session.report()).contains("handled", "ferry.test.pong.v1");
    }
  }

  // end::tracking[]

  @SuppressWarnings("try") // bus b only has to be open to receive the fan-out
  @Test
  void reportsDeadLettersAndFanOut() {
    String broker = UUID.randomUUID().toString();
    MessageTracking tracking = new MessageTracking();
    try (MessageBus a =
            MessageBus.builder()
                .serviceName("a")
                .localBroker(broker)
                .observer(tracking)
                .handle(Event.class, (e, ctx) -> new Work(1))
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      throw new IllegalStateException("no");
                    })
                .build();
        MessageBus b =
            MessageBus.builder()
                .serviceName("b")
                .localBroker(broker)
                .observer(tracking)
                .handle(Event.class, (e, ctx) -> null)
                .build()) {
      TrackedSession session = tracking.execute(() -> a.publish(new Event("x")));
      assertThat(session.handled(Event.class)).hasSize(2);
      assertThat(session.deadLettered()).hasSize(1);
      assertThat(session.failed()).hasSize(4);
    }
  }

  @Test
  void timesOutWithAReadableReport() {
    String broker = UUID.randomUUID().toString();
    MessageTracking tracking = new MessageTracking();
    try (MessageBus bus =
        MessageBus.builder()
            .localBroker(broker)
            .observer(tracking)
            .handle(
                Ping.class,
                (p, ctx) -> {
                  Thread.sleep(2000);
                  return null;
                })
            .build()) {
      assertThatThrownBy(
              () -> tracking.execute(() -> bus.send(new Ping(1)), Duration.ofMillis(500)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("still in flight")
          .hasMessageContaining("received");
    }
  }
}
