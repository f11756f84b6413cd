package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.MessageBus;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A bus per test, tracked, closed after the test with what its wiring opened. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusExtensionTest {
  private static final String BROKER = UUID.randomUUID().toString();
  private static final AtomicInteger OPENED = new AtomicInteger();
  private static final AtomicInteger CLOSED = new AtomicInteger();
  private static MessageBus firstTestsBus;

  @RegisterExtension
  final BusExtension ponger =
      new BusExtension(
          resources -> {
            resources.closeAfterTest(opened());
            return MessageBus.builder()
                .serviceName("ponger")
                .localBroker(BROKER)
                .handle(Ping.class, (ping, ctx) -> new Pong(ping.n()))
                .handle(Pong.class, (pong, ctx) -> null);
          });

  private static AutoCloseable opened() {
    OPENED.incrementAndGet();
    return CLOSED::incrementAndGet;
  }

  @Test
  @Order(1)
  void aSessionSeesWhatTheBusHandled(MessageBus bus, MessageTracking tracking) {
    assertThat(bus).isSameAs(ponger.bus());
    assertThat(tracking).isSameAs(ponger.tracking());
    firstTestsBus = bus;

    TrackedSession session = ponger.execute(() -> bus.send(new Ping(7)));

    assertThat(session.handled(Ping.class)).hasSize(1);
    assertThat(session.handled(Pong.class)).hasSize(1);
    assertThat(CLOSED).hasValue(0);
  }

  @Test
  @Order(2)
  void eachTestGetsANewBusAndTheLastOnesResourcesAreClosed() {
    assertThat(ponger.bus()).isNotSameAs(firstTestsBus);
    assertThat(OPENED).hasValue(2);
    assertThat(CLOSED).hasValue(1);
  }

  @AfterAll
  static void everyResourceIsClosed() {
    assertThat(CLOSED).hasValue(OPENED.get());
  }
}
