package dev.ferry.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterOptions;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.conformance.TestMessages.Event;
import dev.ferry.testkit.conformance.TestMessages.Work;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.MessageSnapshot;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How each {@link Decision} lands on Service Bus: native dead letters with their reason, requeues
 * that carry the failed attempts in the message, delayed requeues as scheduled copies, and retries
 * meant for one subscription of a topic.
 */
class ServiceBusSettlementTest {
  private static ServiceBusTestDouble serviceBus;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startDouble() {
    EntitySettings defaults = EntitySettings.defaults();
    serviceBus =
        ServiceBusTestDouble.builder()
            .queue("settle.native-dlq")
            .queue("settle.requeue")
            .queue("settle.delayed", defaults.withDuplicateDetectionWindow(Duration.ofMinutes(10)))
            .queue("settle.infrastructure")
            .queue("settle.replay", defaults.withDuplicateDetectionWindow(Duration.ofMinutes(10)))
            .topic(
                "settle.events",
                TopicSettings.defaults().withSubscription("billing").withSubscription("email"))
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
  }

  private <T extends AutoCloseable> T keep(T t) {
    closeables.add(t);
    return t;
  }

  /**
   * A replay keeps the envelope id, but its broker MessageId carries the replay marker: an entity
   * with duplicate detection would otherwise drop it as a duplicate of the original.
   */
  @Test
  void aReplayIsNotDroppedByDuplicateDetection() {
    List<String> markers = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean fixed =
        new java.util.concurrent.atomic.AtomicBoolean();
    MessageBus bus =
        keep(
            MessageBus.builder()
                .serviceName("replay")
                .transport(Doubles.transport(serviceBus).build())
                .route(Work.class, "queue:settle.replay")
                .onError(ErrorPolicy.on(IllegalStateException.class).thenDeadLetter())
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      markers.add(ctx.envelope().id() + "/" + ctx.headers().get("ferry-replay"));
                      if (!fixed.get()) {
                        throw new IllegalStateException("not yet");
                      }
                      return null;
                    })
                .build());
    bus.send(new Work(7));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 1);
    String id = bus.deadLetters().list(1).get(0).envelope().id();
    fixed.set(true);
    assertThat(bus.deadLetters().replay(bus.deadLetters().list(1).get(0).id())).isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> markers.size() == 2);
    assertThat(markers).containsExactly(id + "/null", id + "/1");
    assertThat(serviceBus.entity("settle.replay").messages()).isEmpty();
  }

  @Test
  void aNativeDeadLetterKeepsTheReasonAndDescriptionAndObserversSeeIt() {
    List<dev.ferry.DeadLetter> observed = new CopyOnWriteArrayList<>();
    MessageBus bus =
        keep(
            MessageBus.builder()
                .serviceName("dlq")
                .transport(Doubles.transport(serviceBus).build())
                .deadLetters(DeadLetterOptions.defaults().nativeQueue(true))
                .observer(
                    new dev.ferry.spi.MessageObserver() {
                      @Override
                      public void deadLettered(dev.ferry.DeadLetter deadLetter) {
                        observed.add(deadLetter);
                      }
                    })
                .route(Work.class, "queue:settle.native-dlq")
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      throw new IllegalStateException("no stock for " + w.n());
                    })
                .build());
    bus.send(new Work(5));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> serviceBus.deadLetters("settle.native-dlq").size() == 1);
    MessageSnapshot dead = serviceBus.deadLetters("settle.native-dlq").get(0);
    assertThat(dead.deadLetterReason()).isEqualTo("handler-failed");
    assertThat(dead.deadLetterErrorDescription())
        .isEqualTo("java.lang.IllegalStateException: no stock for 5");
    assertThat(dead.subject()).isEqualTo("ferry.test.work.v1");
    assertThat(bus.deadLetters().count()).isZero();
    assertThat(serviceBus.entity("settle.native-dlq").messages()).isEmpty();
    // Observers see a native dead letter as they see a stored one.
    assertThat(observed).hasSize(1);
    assertThat(observed.get(0).reason()).isEqualTo(dev.ferry.Reasons.HANDLER_FAILED);
    assertThat(observed.get(0).exceptionMessage()).isEqualTo("no stock for 5");
    assertThat(observed.get(0).attempts()).isGreaterThanOrEqualTo(1);
  }

  /**
   * Abandon with properties to modify: each requeue writes the failed attempts into the message and
   * marks the delivery count it was written at, so the next delivery continues the policy where it
   * stopped instead of counting the broker's redelivery as one more failure.
   */
  @Test
  void aRequeueAbandonsWithTheFailedAttemptsWrittenIntoTheMessage() {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<Integer> carried = new CopyOnWriteArrayList<>();
    MessageBus bus =
        keep(
            MessageBus.builder()
                .serviceName("requeue")
                .transport(Doubles.transport(serviceBus).build())
                .route(Work.class, "queue:settle.requeue")
                .onError(
                    ErrorPolicy.on(IllegalStateException.class).thenRequeue(2).thenDeadLetter())
                .handle(
                    Work.class,
                    (w, ctx) -> {
                      attempts.add(ctx.attempt());
                      carried.add(ctx.envelope().attempts());
                      throw new IllegalStateException("still failing");
                    })
                .build());
    bus.send(new Work(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(carried).containsExactly(0, 1, 2);
    DeadLetter dl = bus.deadLetters().list(1).get(0);
    assertThat(dl.attempts()).isEqualTo(3);
    assertThat(dl.endpoint()).isEqualTo("servicebus:queue:settle.requeue");
    assertThat(serviceBus.operations("abandon"))
        .filteredOn(op -> op.entity().equals("settle.requeue"))
        .hasSize(2);
    // Stored as a dead letter, then completed on Service Bus.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("settle.requeue").messages().isEmpty());
  }

  @Test
  void aDelayedRequeueSchedulesACopyWithItsOwnMessageIdAndCompletesTheOriginal() throws Exception {
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    List<Instant> at = new CopyOnWriteArrayList<>();
    Address queue = Address.queue("settle.delayed");
    listen(
        queue,
        d -> {
          seen.add(d);
          at.add(Instant.now());
          return seen.size() == 1
              ? Decision.requeue(Duration.ofMillis(800), 2)
              : Decision.complete();
        });
    send(queue, Envelope.builder().id("delayed-1").messageType("t.v1").build());

    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> serviceBus.entity("settle.delayed").scheduledCount() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);

    Delivery copy = seen.get(1);
    assertThat(copy.envelope().id()).isEqualTo("delayed-1");
    assertThat(copy.envelope().attempts()).isEqualTo(2);
    assertThat(copy.deliveryCount()).isEqualTo(1);
    assertThat(Duration.between(at.get(0), at.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));
    // Duplicate detection is on, and the copy was not taken for a duplicate of the original.
    assertThat(serviceBus.operations("duplicate")).isEmpty();
    assertThat(serviceBus.operations("abandon"))
        .noneMatch(op -> op.entity().equals("settle.delayed"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("settle.delayed").messages().isEmpty());
  }

  @Test
  void aFailureOfTheRuntimeItselfIsAnAbandonThatDoesNotCountAsAnAttempt() throws Exception {
    List<Delivery> seen = new CopyOnWriteArrayList<>();
    Address queue = Address.queue("settle.infrastructure");
    listen(
        queue,
        d -> {
          seen.add(d);
          if (seen.size() == 1) {
            return Decision.redeliverBatch(Duration.ofMillis(200), "the store is down");
          }
          if (seen.size() == 2) {
            throw new IllegalStateException("the store is down");
          }
          return Decision.complete();
        });
    send(queue, Envelope.builder().id("infra-1").messageType("t.v1").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
    // Redelivered twice, but neither was the message's fault: both are left out of its count.
    assertThat(seen).extracting(Delivery::deliveryCount).containsExactly(1, 1, 1);
    assertThat(seen).extracting(Delivery::priorAttempts).containsExactly(0, 0, 0);
    assertThat(serviceBus.operations("abandon"))
        .filteredOn(op -> op.entity().equals("settle.infrastructure"))
        .hasSize(2);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> serviceBus.entity("settle.infrastructure").messages().isEmpty());
  }

  /**
   * A scheduled retry on a subscription goes to the topic naming that subscription. The double has
   * no subscription rules, so the email subscription receives the copy too and its listener
   * completes it unhandled.
   */
  @Test
  void aScheduledRetryOnASubscriptionReachesOnlyThatSubscriber() throws Exception {
    Map<String, List<String>> got = new ConcurrentHashMap<>();
    AtomicInteger billingCalls = new AtomicInteger();
    for (String service : List.of("billing", "email")) {
      keep(
          MessageBus.builder()
              .serviceName(service)
              .transport(Doubles.transport(serviceBus).build())
              .route(Event.class, "topic:settle.events")
              .onError(
                  ErrorPolicy.on(IllegalStateException.class)
                      .thenRequeue(1)
                      .thenScheduleRetry(Duration.ofMillis(300))
                      .thenDeadLetter())
              .handle(
                  Event.class,
                  (e, ctx) -> {
                    if (service.equals("billing") && billingCalls.incrementAndGet() <= 2) {
                      throw new IllegalStateException("billing is not ready");
                    }
                    got.computeIfAbsent(service, k -> new CopyOnWriteArrayList<>()).add(e.id());
                    return null;
                  })
              .build());
    }
    MessageBus publisher =
        keep(
            MessageBus.builder()
                .serviceName("orders")
                .transport(Doubles.transport(serviceBus).build())
                .route(Event.class, "topic:settle.events")
                .build());
    publisher.publish(new Event("e1"));
    await().atMost(Duration.ofSeconds(15)).until(() -> got.containsKey("billing"));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                serviceBus.entity("settle.events/subscriptions/email").messages().isEmpty()
                    && serviceBus
                        .entity("settle.events/subscriptions/billing")
                        .messages()
                        .isEmpty());
    assertThat(got.get("billing")).containsExactly("e1");
    assertThat(got.get("email")).containsExactly("e1");
    assertThat(billingCalls.get()).isEqualTo(3);
    // The retry copy reached the email subscription, which completed it without handling it.
    assertThat(serviceBus.operations("complete"))
        .filteredOn(op -> op.entity().equalsIgnoreCase("settle.events/subscriptions/email"))
        .hasSize(2);
  }

  private ServiceBusTransport startedTransport() {
    ServiceBusTransport transport = keep(Doubles.transport(serviceBus).build());
    transport.start(
        new TransportContext(
            "spi-test", "node-1", FerryConfig.of(Map.of()), HostExecutors.bounded()));
    return transport;
  }

  private void listen(Address source, Function<Delivery, Decision> handler) {
    Listener l =
        startedTransport()
            .listen(
                source,
                new ListenerSettings(1, 0, 1, false, false),
                deliveries -> deliveries.stream().map(handler).toList());
    keep(l);
  }

  private void send(Address to, Envelope e) throws Exception {
    try (Sender sender = startedTransport().sender(to)) {
      sender.send(List.of(e));
    }
  }
}
