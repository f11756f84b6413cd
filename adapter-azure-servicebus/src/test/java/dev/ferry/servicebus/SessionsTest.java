package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import dev.ferry.DeliveryOptions;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.SenderOptions;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ordered processing per group: the ferry-group header becomes the SessionId. */
class SessionsTest {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("sessions.work", EntitySettings.defaults().withRequiresSession(true))
            .start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @SuppressWarnings("try") // the receiving bus only has to be open while the test sends
  @Test
  void eachGroupIsHandledInOrderWhileGroupsRunInParallel() throws Exception {
    int groups = 3;
    int perGroup = 15;
    Map<String, List<Integer>> order = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> inFlightPerGroup = new ConcurrentHashMap<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    AtomicInteger maxPerGroup = new AtomicInteger();
    try (MessageBus receiver =
            MessageBus.builder()
                .serviceName("ordered")
                .transport(
                    Doubles.transport(serviceBus)
                        .sessionEntities("queue:sessions.work")
                        .sessionIdleTimeout(Duration.ofMillis(500))
                        .build())
                .listeners(ListenerOptions.defaults().concurrency(groups))
                .route(Work.class, "queue:sessions.work")
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      String group = ctx.headers().get("ferry-group");
                      AtomicInteger g =
                          inFlightPerGroup.computeIfAbsent(group, k -> new AtomicInteger());
                      maxPerGroup.accumulateAndGet(g.incrementAndGet(), Math::max);
                      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                      Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                      order.computeIfAbsent(group, k -> new CopyOnWriteArrayList<>()).add(w.n());
                      inFlight.decrementAndGet();
                      g.decrementAndGet();
                      return null;
                    })
                .build();
        MessageBus sender =
            MessageBus.builder()
                .serviceName("sender")
                .transport(
                    Doubles.transport(serviceBus).sessionEntities("queue:sessions.work").build())
                .sender(SenderOptions.defaults().parallelism(1)) // keeps the send order
                .route(Work.class, "queue:sessions.work")
                .build()) {
      for (int i = 0; i < perGroup; i++) {
        for (int g = 0; g < groups; g++) {
          sender.send(
              new Work(i), DeliveryOptions.builder().header("ferry-group", "order-" + g).build());
        }
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> order.values().stream().mapToInt(List::size).sum() == groups * perGroup);
    }
    List<Integer> expected = java.util.stream.IntStream.range(0, perGroup).boxed().toList();
    assertThat(order).hasSize(groups);
    assertThat(order.values()).allSatisfy(list -> assertThat(list).isEqualTo(expected));
    assertThat(maxPerGroup.get()).isEqualTo(1);
    assertThat(maxInFlight.get()).isBetween(1, groups);
    assertThat(serviceBus.operations("attach-receiver"))
        .anySatisfy(op -> assertThat(op.detail()).contains("session=order-"));
    assertThat(serviceBus.entity("sessions.work").messages()).isEmpty();
  }

  @Test
  void messagesWithoutAGroupUseTheirCorrelationIdAsSession() throws Exception {
    try (MessageBus sender =
        MessageBus.builder()
            .serviceName("sender")
            .transport(Doubles.transport(serviceBus).sessionEntities("queue:sessions.work").build())
            .route(Work.class, "queue:sessions.work")
            .build()) {
      sender.send(new Work(1), DeliveryOptions.builder().correlationId("conv-1").build());
      assertThat(sender.flush(Duration.ofSeconds(5))).isTrue();
    }
    List<MessageSnapshot> stored = serviceBus.entity("sessions.work").messages();
    assertThat(stored).extracting(MessageSnapshot::sessionId).containsExactly("conv-1");
    // Leave the queue empty for the other test.
    try (ServiceBusSessionReceiverClient sessions =
            Doubles.client(serviceBus).sessionReceiver().queueName("sessions.work").buildClient();
        ServiceBusReceiverClient receiver = sessions.acceptSession("conv-1")) {
      receiver.receiveMessages(1, Duration.ofSeconds(5)).forEach(receiver::complete);
    }
    assertThat(serviceBus.entity("sessions.work").messages()).isEmpty();
  }
}
