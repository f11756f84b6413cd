package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Event;
import dev.ferry.TestMessages.Ping;
import dev.ferry.TestMessages.Pong;
import dev.ferry.TestMessages.Work;
import dev.ferry.scanned.ScannedHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The public API's behaviour on the local transport: cascades, invoke, bad input, routing. */
class BusBehaviourTest {
  @RegisterExtension final LocalBuses buses = new LocalBuses();

  private MessageBus start(BusBuilder b) {
    return buses.start(b);
  }

  /** Not annotated with @MessageType. */
  record Unregistered(int n) {}

  public static class Chain {
    final List<Envelope> pongs = new CopyOnWriteArrayList<>();
    final List<Envelope> works = new CopyOnWriteArrayList<>();

    @Handles
    public Pong ping(Ping ping) {
      return new Pong(ping.n());
    }

    @Handles
    public List<Work> pong(Pong pong, MessageContext ctx) {
      pongs.add(ctx.envelope());
      return List.of(new Work(1), new Work(2));
    }

    @Handles
    public Optional<Object> work(Work work, Envelope envelope) {
      works.add(envelope);
      return Optional.empty();
    }
  }

  @Test
  void returnValuesCascadeWithCorrelationAndCausation() throws Exception {
    Chain chain = new Chain();
    MessageBus bus = start(MessageBus.builder().handlers(chain));
    bus.send(new Ping(5), DeliveryOptions.builder().correlationId("order-9").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> chain.works.size() == 2);
    Envelope pong = chain.pongs.get(0);
    assertThat(pong.correlationId()).isEqualTo("order-9");
    assertThat(pong.causationId()).isNotNull();
    assertThat(chain.works)
        .allSatisfy(
            w -> {
              assertThat(w.correlationId()).isEqualTo("order-9");
              assertThat(w.causationId()).isEqualTo(pong.id());
              assertThat(w.traceParent().substring(0, 36))
                  .isEqualTo(pong.traceParent().substring(0, 36));
            });
  }

  @Test
  void cascadesFromAFailedAttemptAreNotSent() {
    List<Integer> works = new CopyOnWriteArrayList<>();
    int[] calls = {0};
    MessageBus bus =
        start(
            MessageBus.builder()
                .handle(
                    Ping.class,
                    (m, ctx) -> {
                      ctx.send(new Work(++calls[0]));
                      if (calls[0] == 1) {
                        throw new IllegalStateException("first attempt fails after sending");
                      }
                      return null;
                    })
                .handle(
                    Work.class,
                    (m, ctx) -> {
                      works.add(m.n());
                      return null;
                    }));
    bus.send(new Ping(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> !works.isEmpty());
    await().during(Duration.ofMillis(300)).until(() -> works.size() == 1);
    assertThat(works).containsExactly(2);
  }

  @Test
  void inboxSkipsARedeliveredDuplicateWithinABatchAndAcrossBatches() throws Exception {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    MessageBus bus =
        start(
            MessageBus.builder()
                .listeners(ListenerOptions.defaults().maxBatch(10).concurrency(1))
                .handle(
                    Ping.class,
                    (p, ctx) -> {
                      handled.add(p.n());
                      return null;
                    }));
    dev.ferry.internal.local.LocalTransport raw =
        new dev.ferry.internal.local.LocalTransport(
            dev.ferry.config.FerryConfig.of(
                java.util.Map.of("ferry.local.broker", buses.broker())));
    raw.start(
        new dev.ferry.spi.TransportContext(
            "raw",
            "raw",
            dev.ferry.config.FerryConfig.of(java.util.Map.of()),
            dev.ferry.spi.HostExecutors.bounded()));
    Envelope once =
        Envelope.builder()
            .id("same-id")
            .messageType("ferry.test.ping.v1")
            .body("{\"n\":1}".getBytes())
            .build();
    Envelope other =
        Envelope.builder().messageType("ferry.test.ping.v1").body("{\"n\":2}".getBytes()).build();
    try (dev.ferry.spi.Sender s = raw.sender(Address.queue("ferry.test.ping.v1").on("local"))) {
      s.send(List.of(once, once, other)); // a batch (of up to 10) with a duplicate inside
      await().atMost(Duration.ofSeconds(5)).until(() -> handled.size() == 2);
      s.send(List.of(once)); // and a redelivery later
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> bus.metrics().duplicates() == 2);
    assertThat(handled).containsExactlyInAnyOrder(1, 2);
    raw.close();
  }

  /** Two logical subscribers of one event in one service, each on its own subscription. */
  public static class TwoSubscribers {
    final List<String> billing = new CopyOnWriteArrayList<>();
    final List<String> email = new CopyOnWriteArrayList<>();

    @Handles(endpoint = "topic:orders/subscriptions/billing")
    public void bill(Event e) {
      billing.add(e.id());
    }

    @Handles(endpoint = "topic:orders/subscriptions/email")
    public void mail(Event e) {
      email.add(e.id());
    }
  }

  @Test
  void aHandlerRunsOnlyForItsOwnEndpointsCopy() throws Exception {
    TwoSubscribers s = new TwoSubscribers();
    MessageBus bus = start(MessageBus.builder().route(Event.class, "topic:orders").handlers(s));
    bus.publish(new Event("e1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> s.billing.size() + s.email.size() >= 2);
    Thread.sleep(200);
    assertThat(s.billing).containsExactly("e1");
    assertThat(s.email).containsExactly("e1");
  }

  @Test
  void flushWaitsUntilTheTransportHasEverything() {
    MessageBus bus = start(MessageBus.builder().messageTypes(Work.class));
    for (int i = 0; i < 1000; i++) {
      bus.send(new Work(i));
    }
    assertThat(bus.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(bus.metrics().delivered()).isEqualTo(1000);
  }

  @Test
  void invokeRunsTheHandlerInProcessAndReturnsItsResult() throws Exception {
    MessageBus bus =
        start(MessageBus.builder().handle(Ping.class, (m, ctx) -> new Pong(m.n() * 2)));
    assertThat(bus.invoke(new Ping(21), Pong.class)).isEqualTo(new Pong(21 * 2));
  }

  @Test
  void invokePropagatesHandlerFailureToTheCaller() {
    MessageBus bus =
        start(
            MessageBus.builder()
                .handle(
                    Ping.class,
                    (m, ctx) -> {
                      throw new IllegalArgumentException("invalid ping");
                    }));
    assertThatThrownBy(() -> bus.invoke(new Ping(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid ping");
    assertThat(bus.deadLetters().count()).isZero();
  }

  @Test
  void invokeThrowsAHandlersCheckedExceptionAsTheCauseOfAFerryException() {
    MessageBus bus =
        start(
            MessageBus.builder()
                .handle(
                    Ping.class,
                    (m, ctx) -> {
                      throw new java.io.IOException("disk full");
                    }));
    assertThatThrownBy(() -> bus.invoke(new Ping(1)))
        .isInstanceOf(FerryException.class)
        .hasCauseInstanceOf(java.io.IOException.class)
        .hasMessageContaining("ferry.test.ping.v1");
  }

  @Test
  void invokeWithoutHandlerFailsClearly() {
    MessageBus bus = start(MessageBus.builder());
    assertThatThrownBy(() -> bus.invoke(new Ping(1)))
        .isInstanceOf(NoHandlerException.class)
        .hasMessageContaining("No handler");
  }

  @Test
  void nullMessageIsRejected() {
    MessageBus bus = start(MessageBus.builder());
    assertThatThrownBy(() -> bus.send(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("message must not be null");
    assertThatThrownBy(() -> bus.publish(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void messageWithoutAliasIsRejectedAtSend() {
    MessageBus bus = start(MessageBus.builder());
    assertThatThrownBy(() -> bus.send(new Unregistered(1)))
        .isInstanceOf(UnknownMessageTypeException.class)
        .hasMessageContaining("has no @MessageType alias");
  }

  @Test
  void explicitAliasRegistersAClassWithoutAnnotation() {
    List<Integer> got = new CopyOnWriteArrayList<>();
    MessageBus bus =
        start(
            MessageBus.builder()
                .messageType("legacy.unregistered.v1", Unregistered.class)
                .handle(Unregistered.class, (m, ctx) -> got.add(m.n())));
    bus.send(new Unregistered(3));
    await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
  }

  @Test
  void messageWithoutHandlerIsDeadLettered() {
    MessageBus receiver =
        start(
            MessageBus.builder()
                .serviceName("receiver")
                .route(Work.class, "queue:shared")
                .handle(Ping.class, (m, ctx) -> null)
                .handlers(
                    new Object() {
                      @Handles(endpoint = "queue:shared")
                      public void ping(Ping p) {}
                    }));
    // Work arrives on a queue where only Ping is handled.
    start(MessageBus.builder().serviceName("sender").route(Work.class, "queue:shared"))
        .send(new Work(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> receiver.deadLetters().count() == 1);
    assertThat(receiver.deadLetters().list(1).get(0).reason()).isEqualTo("no-handler");
  }

  @Test
  void scannedPackagesProvideHandlers() throws Exception {
    ScannedHandlers.SEEN.clear();
    MessageBus bus = start(MessageBus.builder().scanPackages("dev.ferry.scanned"));
    assertThat(bus.invoke(new Ping(8), Pong.class)).isEqualTo(new Pong(8));
    assertThat(ScannedHandlers.SEEN).containsExactly(8);
  }

  @Test
  void routingRulesWinOverConventionsAndAreDescribed() {
    MessageBus bus =
        start(
            MessageBus.builder()
                .serviceName("billing")
                .route(Ping.class, "queue:pings")
                .property("ferry.routes", "ferry.test.event.v1=topic:all-events")
                .handle(Ping.class, (m, ctx) -> null)
                .handle(Event.class, (m, ctx) -> null)
                .messageTypes(Work.class));
    String routing = bus.describeRouting();
    assertThat(routing)
        .contains("ferry.test.ping.v1 (dev.ferry.TestMessages$Ping), a command")
        .contains("send    -> local:queue:pings  [route]")
        .contains("ferry.test.event.v1 (dev.ferry.TestMessages$Event), an event")
        .contains("publish -> local:topic:all-events  [route]")
        .contains("send    -> local:queue:ferry.test.work.v1  [convention: a command's queue]")
        .contains("listens on local:queue:pings  [routing]")
        .contains("listens on local:topic:all-events/subscriptions/billing  [routing]")
        .contains("handled here: no");
  }

  @Test
  void routeToAnotherTransportFailsAtStartNamingTheRoute() {
    assertThatThrownBy(() -> start(MessageBus.builder().route(Ping.class, "jms:queue:pings")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("route ferry.test.ping.v1")
        .hasMessageContaining("ferry.transport is 'local'");
  }

  @Test
  void unknownTransportFailsAtStartNamingTheKey() {
    assertThatThrownBy(() -> start(MessageBus.builder().transport("carrier-pigeon")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.transport is 'carrier-pigeon'")
        .hasMessageContaining("available: [local]");
  }

  @Test
  void badConfigurationValueFailsNamingTheKey() {
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .property("ferry.listener.concurrency", "many")
                    .localBroker(buses.broker())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.listener.concurrency");
    assertThatThrownBy(
            () ->
                MessageBus.builder()
                    .listeners(ListenerOptions.defaults().concurrency(0))
                    .localBroker(buses.broker())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.listener.concurrency must be >= 1");
  }

  @Test
  void sendingAfterCloseFailsClearly() {
    MessageBus bus = start(MessageBus.builder());
    bus.close();
    assertThatThrownBy(() -> bus.send(new Ping(1)))
        .isInstanceOf(FerryException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void contextRespondWithoutReplyAddressFails() {
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    MessageBus bus =
        start(
            MessageBus.builder()
                .handle(
                    Ping.class,
                    (m, ctx) -> {
                      try {
                        ctx.respond(new Pong(1));
                      } catch (FerryException e) {
                        errors.add(e);
                      }
                      return null;
                    }));
    bus.send(new Ping(1));
    await().atMost(Duration.ofSeconds(5)).until(() -> errors.size() == 1);
    assertThat(errors.get(0)).hasMessageContaining("carries no reply address");
  }
}
