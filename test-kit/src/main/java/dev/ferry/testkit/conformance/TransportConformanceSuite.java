package dev.ferry.testkit.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.DeadLetter;
import dev.ferry.DeliveryOptions;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.MessageTooLargeException;
import dev.ferry.RequestTimeoutException;
import dev.ferry.testkit.conformance.TestMessages.Big;
import dev.ferry.testkit.conformance.TestMessages.Event;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Poison;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import dev.ferry.testkit.conformance.TestMessages.Work;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every transport must show, written once. A transport's test subclasses this and
 * says how to build a bus on it and how to put a raw envelope on it; the test methods are final so
 * that every transport is held to the same cases.
 */
public abstract class TransportConformanceSuite {
  private static final AtomicInteger RUN = new AtomicInteger();

  private final List<MessageBus> buses = new CopyOnWriteArrayList<>();

  /** A name unique to the running test, for queues and topics. */
  protected String unique;

  /**
   * A builder for one service instance on the transport under test, with {@code serviceName} set.
   * Instances built from the same service name must compete on the same queues and subscriptions.
   */
  protected abstract BusBuilder newBus(String serviceName);

  /** Puts an envelope on an address as a foreign producer would. */
  protected abstract void sendRaw(Address address, Envelope envelope) throws Exception;

  protected Duration timeout() {
    return Duration.ofSeconds(20);
  }

  @BeforeEach
  void name() {
    unique = "c" + ProcessHandle.current().pid() + "x" + RUN.incrementAndGet();
  }

  @AfterEach
  void closeBuses() {
    buses.forEach(MessageBus::close);
    buses.clear();
  }

  private MessageBus start(BusBuilder b) {
    MessageBus bus = b.build();
    buses.add(bus);
    return bus;
  }

  private BusBuilder service(String name) {
    return newBus(name)
        .route(Ping.class, "queue:" + unique + ".ping")
        .route(Pong.class, "queue:" + unique + ".pong")
        .route(Work.class, "queue:" + unique + ".work")
        .route(Event.class, "topic:" + unique + ".events")
        .route(Poison.class, "queue:" + unique + ".poison")
        .route(Big.class, "queue:" + unique + ".big")
        .messageTypes(Ping.class, Pong.class, Work.class, Event.class, Poison.class, Big.class);
  }

  @Test
  public final void sendsAndReceivesWithEnvelopeIntact() throws Exception {
    List<Envelope> seen = new CopyOnWriteArrayList<>();
    start(
        service("receiver")
            .handle(
                Ping.class,
                (m, ctx) -> {
                  seen.add(ctx.envelope());
                  return null;
                }));
    MessageBus sender = start(service("sender"));
    for (int i = 0; i < 10; i++) {
      sender.send(
          new Ping(i),
          DeliveryOptions.builder()
              .header("customer", "c-" + i)
              .tenant("acme")
              .correlationId("conv-" + i)
              .build());
    }
    await().atMost(timeout()).until(() -> seen.size() >= 10);
    Thread.sleep(200);
    assertThat(seen).hasSize(10);
    Envelope e =
        seen.stream().filter(x -> "conv-3".equals(x.correlationId())).findFirst().orElseThrow();
    assertThat(e.messageType()).isEqualTo("ferry.test.ping.v1");
    assertThat(e.contentType()).isEqualTo("application/json");
    assertThat(e.headers()).containsEntry("customer", "c-3");
    assertThat(e.tenant()).isEqualTo("acme");
    assertThat(e.source()).isEqualTo("sender");
    assertThat(e.traceParent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(e.sentAt()).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  public final void publishGivesEachSubscribingServiceItsOwnCopy() throws Exception {
    Map<String, List<String>> got = new ConcurrentHashMap<>();
    for (String service : List.of("billing", "email")) {
      start(
          service(service)
              .handle(
                  Event.class,
                  (m, ctx) -> {
                    got.computeIfAbsent(service, k -> new CopyOnWriteArrayList<>()).add(m.id());
                    return null;
                  }));
    }
    MessageBus publisher = start(service("orders"));
    for (int i = 0; i < 5; i++) {
      publisher.publish(new Event("e" + i));
    }
    await()
        .atMost(timeout())
        .until(
            () ->
                got.getOrDefault("billing", List.of()).size() >= 5
                    && got.getOrDefault("email", List.of()).size() >= 5);
    Thread.sleep(200);
    assertThat(got.get("billing")).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4");
    assertThat(got.get("email")).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4");
  }

  /**
   * A requeue, then a scheduled retry copy, of an event that failed for one subscriber: both go to
   * that subscriber only; the other got its one copy.
   */
  @Test
  public final void retriesOnASubscriptionReachOnlyThatSubscriber() throws Exception {
    Map<String, List<String>> got = new ConcurrentHashMap<>();
    AtomicInteger billingCalls = new AtomicInteger();
    for (String service : List.of("billing", "email")) {
      start(
          service(service)
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
                  }));
    }
    MessageBus publisher = start(service("orders"));
    publisher.publish(new Event("e1"));
    await().atMost(timeout()).until(() -> got.containsKey("billing") && got.containsKey("email"));
    Thread.sleep(500);
    assertThat(got.get("billing")).containsExactly("e1");
    assertThat(got.get("email")).containsExactly("e1"); // the retries did not reach email
    assertThat(billingCalls.get()).isEqualTo(3);
  }

  @Test
  public final void competingConsumersHandleEachMessageOnce() throws Exception {
    Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perInstance = new ConcurrentHashMap<>();
    for (String instance : List.of("w1", "w2")) {
      start(
          service("worker")
              .nodeId("worker-" + instance + unique)
              .handle(
                  Work.class,
                  (m, ctx) -> {
                    counts.computeIfAbsent(m.n(), k -> new AtomicInteger()).incrementAndGet();
                    perInstance
                        .computeIfAbsent(instance, k -> new AtomicInteger())
                        .incrementAndGet();
                    return null;
                  }));
    }
    MessageBus sender = start(service("dispatcher"));
    int n = 200;
    for (int i = 0; i < n; i++) {
      sender.send(new Work(i));
    }
    await().atMost(timeout()).until(() -> counts.size() >= n);
    Thread.sleep(300);
    assertThat(counts).hasSize(n);
    assertThat(counts.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(perInstance.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(n);
  }

  @Test
  public final void requestGetsTheReplyAndTimesOutWithoutOne() throws Exception {
    start(service("responder").handle(Ping.class, (m, ctx) -> new Pong(m.n() + 1)));
    MessageBus requester = start(service("requester"));
    Pong pong =
        requester
            .request(new Ping(41), Pong.class, timeout())
            .toCompletableFuture()
            .get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    assertThat(pong).isEqualTo(new Pong(42));

    var unanswered =
        requester.request(new Work(1), Pong.class, Duration.ofMillis(300)).toCompletableFuture();
    assertThatThrownBy(() -> unanswered.get(timeout().toMillis(), TimeUnit.MILLISECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(RequestTimeoutException.class);
  }

  @Test
  public final void scheduledMessageArrivesNoEarlierThanItsTime() throws Exception {
    List<Instant> handledAt = new CopyOnWriteArrayList<>();
    start(
        service("receiver")
            .handle(
                Ping.class,
                (m, ctx) -> {
                  handledAt.add(Instant.now());
                  return null;
                }));
    MessageBus sender = start(service("sender"));
    Instant due = Instant.now().plusMillis(1500);
    sender.schedule(new Ping(1), due);
    Thread.sleep(700);
    assertThat(handledAt).isEmpty();
    await().atMost(timeout()).until(() -> !handledAt.isEmpty());
    assertThat(handledAt.get(0)).isAfterOrEqualTo(due.minusMillis(50));
  }

  @Test
  public final void expiredMessageIsNotHandled() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    MessageBus sender = start(service("sender"));
    sender.send(new Ping(1), DeliveryOptions.builder().timeToLive(Duration.ofMillis(200)).build());
    sender.send(new Ping(2));
    Thread.sleep(800); // nobody listens yet: the first message expires while waiting
    start(
        service("receiver")
            .handle(
                Ping.class,
                (m, ctx) -> {
                  if (m.n() == 1) {
                    throw new AssertionError("an expired message was handled");
                  }
                  handled.incrementAndGet();
                  return null;
                }));
    await().atMost(timeout()).until(() -> handled.get() == 1);
    Thread.sleep(300);
    assertThat(handled.get()).isEqualTo(1);
  }

  @Test
  public final void failingHandlerIsRetriedThenDeadLettered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    MessageBus receiver =
        start(
            service("receiver")
                .handle(
                    Poison.class,
                    (m, ctx) -> {
                      attempts.incrementAndGet();
                      throw new IllegalStateException("cannot handle " + m.id());
                    }));
    start(service("sender")).send(new Poison("p1"));
    await().atMost(timeout()).until(() -> receiver.deadLetters().count() == 1);
    DeadLetter dl = receiver.deadLetters().list(10).get(0);
    assertThat(attempts.get()).isEqualTo(4); // first attempt + 3 immediate retries
    assertThat(dl.reason()).isEqualTo("handler-failed");
    assertThat(dl.exceptionType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dl.exceptionMessage()).isEqualTo("cannot handle p1");
    assertThat(dl.attempts()).isEqualTo(4);
    assertThat(dl.envelope().messageType()).isEqualTo("ferry.test.poison.v1");
    assertThat(dl.stackTrace()).contains("IllegalStateException");
  }

  @Test
  public final void poisonMessagesAreDeadLetteredAndTheListenerGoesOn() throws Exception {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    MessageBus receiver =
        start(
            service("receiver")
                .handle(
                    Ping.class,
                    (m, ctx) -> {
                      handled.add(m.n());
                      return null;
                    }));
    Address queue = Address.queue(unique + ".ping");
    sendRaw(
        queue,
        Envelope.builder()
            .messageType("ferry.test.ping.v1")
            .contentType("application/json")
            .body("{not json".getBytes())
            .build());
    sendRaw(
        queue,
        Envelope.builder()
            .messageType("ferry.test.nobody-knows.v1")
            .contentType("application/json")
            .body("{}".getBytes())
            .build());
    sendRaw(
        queue, Envelope.builder().contentType("application/json").body("{}".getBytes()).build());
    sendRaw(
        queue,
        Envelope.builder()
            .messageType("ferry.test.ping.v1")
            .contentType("application/json")
            .body("{\"n\":7}".getBytes())
            .build());
    await()
        .atMost(timeout())
        .until(() -> receiver.deadLetters().count() == 3 && !handled.isEmpty());
    assertThat(handled).containsExactly(7);
    Set<String> reasons = new java.util.HashSet<>();
    receiver.deadLetters().list(10).forEach(d -> reasons.add(d.reason()));
    assertThat(reasons)
        .containsExactlyInAnyOrder(
            "malformed-body", "unknown-message-type", "missing-message-type");
  }

  @Test
  public final void oneMegabyteMessageRoundTripsOrIsRefusedClearly() throws Exception {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    MessageBus receiver =
        start(
            service("receiver")
                .handle(
                    Big.class,
                    (m, ctx) -> {
                      sizes.add(m.payload().length());
                      return null;
                    }));
    MessageBus sender = start(service("sender"));
    String payload = "x".repeat(1024 * 1024);
    if (maxMessageBytes() > 0 && maxMessageBytes() < 1024 * 1024 + 100) {
      assertThatThrownBy(() -> sender.send(new Big(payload)))
          .isInstanceOf(MessageTooLargeException.class)
          .hasMessageContaining("bytes");
      assertThat(receiver.deadLetters().count()).isZero();
      return;
    }
    sender.send(new Big(payload));
    await().atMost(timeout()).until(() -> !sizes.isEmpty());
    assertThat(sizes).containsExactly(1024 * 1024);
  }

  /** The transport's message size limit, 0 if none. */
  protected long maxMessageBytes() {
    return 0;
  }

  @Test
  public final void slowHandlersHoldBackDeliveryInsteadOfBuffering() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    List<Integer> done = new CopyOnWriteArrayList<>();
    start(
        service("slow")
            .listeners(ListenerOptions.defaults().concurrency(2))
            .handle(
                Work.class,
                (m, ctx) -> {
                  int now = inFlight.incrementAndGet();
                  maxInFlight.accumulateAndGet(now, Math::max);
                  Thread.sleep(5);
                  inFlight.decrementAndGet();
                  done.add(m.n());
                  return null;
                }));
    MessageBus sender = start(service("fast"));
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sender.send(new Work(i));
      sent.add(i);
    }
    await().atMost(timeout()).until(() -> done.size() >= sent.size());
    assertThat(done).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(maxInFlight.get()).isLessThanOrEqualTo(2);
  }
}
