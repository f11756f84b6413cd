package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume and close of a listener, at the SPI. */
class ListenerLifecycleTest {
  private static ServiceBusTestDouble serviceBus;
  private static ServiceBusTransport transport;

  @BeforeAll
  static void start() {
    serviceBus = ServiceBusTestDouble.builder().queue("life.paused").queue("life.closing").start();
    transport = Doubles.transport(serviceBus).build();
    transport.start(
        new TransportContext(
            "life",
            "node-1",
            FerryConfig.of(Map.of("ferry.shutdown.timeout", "10s")),
            HostExecutors.bounded()));
  }

  @AfterAll
  static void stop() {
    transport.close();
    Doubles.closeChecked(serviceBus);
  }

  private static void send(String queue, String id) throws Exception {
    try (Sender sender = transport.sender(Address.queue(queue))) {
      sender.send(List.of(Envelope.builder().id(id).messageType("t.v1").build()));
    }
  }

  /**
   * While paused, a message that arrives is handed back once and its slot waits; the hand-back is
   * not counted as a failed delivery, so the handler sees it later as a first delivery.
   */
  @Test
  void aPausedListenerHandsBackWhatArrivesAndHandlesItAfterResume() throws Exception {
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    try (Listener listener =
        transport.listen(
            Address.queue("life.paused"),
            new ListenerSettings(1, 0, 1, false, false),
            deliveries -> {
              seen.addAll(deliveries);
              return List.of(Decision.complete());
            })) {
      listener.pause();
      send("life.paused", "p-1");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !serviceBus.operations("abandon").isEmpty());
      Thread.sleep(300);
      assertThat(seen).isEmpty();
      assertThat(serviceBus.operations("abandon")).hasSize(1); // once, not in a loop

      listener.resume();
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
      assertThat(seen.get(0).envelope().id()).isEqualTo("p-1");
      assertThat(seen.get(0).deliveryCount()).isEqualTo(1);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("life.paused").messages().isEmpty());
  }

  @Test
  void closeWaitsForTheHandlerInFlightAndSettlesIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> finished = new CopyOnWriteArrayList<>();
    Listener listener =
        transport.listen(
            Address.queue("life.closing"),
            new ListenerSettings(2, 0, 1, false, false),
            deliveries -> {
              started.countDown();
              sleep(1000);
              finished.add(deliveries.get(0).envelope().id());
              return List.of(Decision.complete());
            });
    send("life.closing", "c-1");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    listener.close();
    assertThat(finished).containsExactly("c-1");
    assertThat(serviceBus.operations("complete"))
        .anySatisfy(op -> assertThat(op.entity()).isEqualTo("life.closing"));
    assertThat(serviceBus.entity("life.closing").messages()).isEmpty();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new AssertionError("interrupted while handling", e);
    }
  }
}
