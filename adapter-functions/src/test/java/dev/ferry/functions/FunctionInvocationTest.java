package dev.ferry.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.functions.app.ParcelApp;
import dev.ferry.functions.app.ParcelFunctions;
import dev.ferry.functions.app.ParcelHandlers;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.functions.InvocationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The function methods of an app invoked as the host invokes them: host-shaped arguments (the
 * payload bytes, a 1-based DeliveryCount, ApplicationProperties whose numbers are doubles,
 * EnqueuedTimeUtc as .NET text) and an ExecutionContext; a return completes the message, a throw
 * abandons it. Real Service Bus (the test double, through the SDK) and PostgreSQL underneath.
 */
@ExtendWith(PostgresExtension.class)
class FunctionInvocationTest {
  private static final String ENQUEUED = "2026-11-21T07:00:00.1234567Z";
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE =
      new java.util.concurrent.atomic.AtomicLong();

  private FunctionApp app;

  @BeforeEach
  void start(PostgresDatabase database) {
    app = new FunctionApp(database, Map.of());
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void handlesAMessageInItsTransactionAndSendsTheCascadeBeforeReturning() {
    invokeShip("p-1", parcel("p-1", 2), 1, ferryProperties());

    assertThat(app.shipments("p-1")).isEqualTo(1);
    // Flushed before the invocation returned: the event is on both subscriptions now.
    assertThat(app.serviceBus.entity("parcel-shipped/subscriptions/tracking").activeCount())
        .isEqualTo(1);
    assertThat(app.serviceBus.entity("parcel-shipped/subscriptions/billing").activeCount())
        .isEqualTo(1);
    assertThat(
            app.serviceBus
                .entity("parcel-shipped/subscriptions/tracking")
                .messages()
                .get(0)
                .subject())
        .isEqualTo("parcel-shipped");
  }

  @Test
  void aFailingMessageThrowsForRedeliveryUntilItsPolicyEndsThenBecomesADeadLetter() {
    byte[] poison = parcel("p-bad", -1);
    for (int delivery = 1; delivery < ParcelApp.ATTEMPTS; delivery++) {
      int d = delivery;
      assertThatThrownBy(() -> invokeShip("p-bad", poison, d, ferryProperties()))
          .isInstanceOf(RedeliveryRequestedException.class)
          .hasMessageContaining("p-bad")
          .hasMessageContaining("Service Bus will deliver it again");
    }
    invokeShip("p-bad", poison, ParcelApp.ATTEMPTS, ferryProperties()); // completes

    assertThat(ParcelHandlers.SHIPPING_RUNS.get("p-bad")).hasValue(ParcelApp.ATTEMPTS);
    List<DeadLetter> dead = FerryFunctions.bus().deadLetters().list(10);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).envelope().id()).isEqualTo("p-bad");
    assertThat(dead.get(0).exceptionType()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(dead.get(0).exceptionMessage()).contains("weighs -1 kg");
    assertThat(dead.get(0).attempts()).isEqualTo(ParcelApp.ATTEMPTS);
    assertThat(dead.get(0).endpoint()).contains("parcels");
  }

  @Test
  void aBodyThatDoesNotParseIsADeadLetterOnTheFirstDelivery() {
    invokeShip("p-garbled", "{not json".getBytes(StandardCharsets.UTF_8), 1, ferryProperties());

    assertThat(ParcelHandlers.SHIPPING_RUNS).isEmpty();
    DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
    assertThat(dead.envelope().id()).isEqualTo("p-garbled");
    assertThat(dead.attempts()).isEqualTo(1);
    assertThat(dead.reason()).isNotBlank();
    assertThat(new String(dead.envelope().body(), StandardCharsets.UTF_8)).isEqualTo("{not json");
  }

  @Test
  void handlingContinuesTheInvocationsTraceNotJustTheMessages() {
    String invocationSpan = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    Map<String, Object> props = ferryProperties();
    props.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01");
    new ParcelFunctions()
        .ship(
            parcel("p-traced", 1),
            "p-traced",
            1,
            SEQUENCE.incrementAndGet(),
            "ship-parcel",
            "application/json",
            null,
            null,
            null,
            props,
            ENQUEUED,
            new InvocationContext("ship", invocationSpan, "vendor=1"));
    assertThat(ParcelHandlers.ENVELOPES.get("p-traced").traceParent()).isEqualTo(invocationSpan);
    assertThat(ParcelHandlers.ENVELOPES.get("p-traced").traceState()).isEqualTo("vendor=1");

    // No valid context from the host: the message's own stays.
    Map<String, Object> own = ferryProperties();
    own.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-2222222222222222-01");
    new ParcelFunctions()
        .ship(
            parcel("p-own", 1),
            "p-own",
            1,
            SEQUENCE.incrementAndGet(),
            "ship-parcel",
            "application/json",
            null,
            null,
            null,
            own,
            ENQUEUED,
            new InvocationContext("ship", "not-a-traceparent", null));
    assertThat(ParcelHandlers.ENVELOPES.get("p-own").traceParent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-2222222222222222-01");
  }

  @Test
  void anUnknownMessageTypeIsADeadLetterOnTheFirstDelivery() {
    new ParcelFunctions()
        .ship(
            parcel("p-odd", 1),
            "p-odd",
            1,
            7,
            "no-such-type",
            "application/json",
            null,
            null,
            null,
            ferryProperties(),
            ENQUEUED,
            new InvocationContext("ship"));

    DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
    assertThat(dead.reason()).isEqualTo("unknown-message-type");
    assertThat(dead.exceptionMessage()).contains("no-such-type");
    assertThat(ParcelHandlers.SHIPPING_RUNS).isEmpty();
  }

  @Test
  void garbledPropertiesAreADeadLetterWithTheReason() {
    Map<String, Object> props = ferryProperties();
    props.put("cloudEvents_attempts", "many");
    invokeShip("p-props", parcel("p-props", 1), 1, props);

    DeadLetter dead = FerryFunctions.bus().deadLetters().list(10).get(0);
    assertThat(dead.reason()).isEqualTo("malformed-headers");
    assertThat(dead.exceptionMessage()).contains("cloudEvents_attempts");
  }

  @Test
  void anExpiredMessageCompletesWithoutBeingHandled() {
    Map<String, Object> props = ferryProperties();
    props.put("cloudEvents_deliverby", Instant.now().minusSeconds(5).toString());
    invokeShip("p-late", parcel("p-late", 1), 1, props);

    assertThat(ParcelHandlers.SHIPPING_RUNS).isEmpty();
    assertThat(FerryFunctions.bus().deadLetters().count()).isZero();
    assertThat(FerryFunctions.bus().metrics().expired()).isEqualTo(1);
  }

  @Test
  void aRedeliveredDuplicateIsSkippedByTheDurableInbox() {
    invokeShip("p-twice", parcel("p-twice", 1), 1, ferryProperties());
    // The lock was lost after the commit, say: Service Bus delivers it again.
    invokeShip("p-twice", parcel("p-twice", 1), 2, ferryProperties());

    assertThat(ParcelHandlers.SHIPPING_RUNS.get("p-twice")).hasValue(1);
    assertThat(app.shipments("p-twice")).isEqualTo(1);
    assertThat(app.serviceBus.entity("parcel-shipped/subscriptions/tracking").activeCount())
        .isEqualTo(1);
  }

  @Test
  void attemptsCarriedAsJsonNumbersAreRead() {
    Map<String, Object> props = ferryProperties();
    props.put("cloudEvents_attempts", 2.0); // an earlier scheduled retry copy, through JSON
    invokeShip("p-retry", parcel("p-retry", 1), 1, props);

    int attempt =
        app.jdbi.withHandle(
            h ->
                h.createQuery("select attempt from " + app.schema + ".shipments")
                    .mapTo(Integer.class)
                    .one());
    assertThat(attempt).isEqualTo(3);
  }

  @Test
  void aCopyMeantForAnotherSubscriptionCompletesUnhandled() {
    Map<String, Object> props = ferryProperties();
    props.put("cloudEvents_ferrytarget", "billing");
    new ParcelFunctions()
        .track(
            "{\"parcelId\":\"p-9\"}",
            "p-9",
            1,
            9,
            "parcel-shipped",
            "application/json",
            null,
            props,
            ENQUEUED,
            new InvocationContext("track"));
    assertThat(ParcelHandlers.TRACKED).isEmpty();

    props.put("cloudEvents_ferrytarget", "TRACKING"); // subscription names ignore case
    new ParcelFunctions()
        .track(
            "{\"parcelId\":\"p-9\"}",
            "p-9",
            1,
            9,
            "parcel-shipped",
            "application/json",
            null,
            props,
            ENQUEUED,
            new InvocationContext("track"));
    assertThat(ParcelHandlers.TRACKED.get("p-9")).hasValue(1);
  }

  @Test
  void aTriggerOnAnEntityNoHandlerListensOnFailsNamingTheEntities() {
    assertThatThrownBy(
            () ->
                FerryFunctions.queue("parcles")
                    .handle(
                        ServiceBusTrigger.message(parcel("p-x", 1))
                            .messageId("p-x")
                            .subject("ship-parcel")
                            .applicationProperties(ferryProperties()),
                        new InvocationContext("ship")))
        .isInstanceOf(RedeliveryRequestedException.class)
        .hasMessageContaining("queue:parcles")
        .hasMessageContaining("queue:parcels")
        .hasMessageContaining("parcel-shipped/subscriptions/tracking");
  }

  @Test
  void theBusIsBuiltOncePerWorker() {
    invokeShip("p-a", parcel("p-a", 1), 1, ferryProperties());
    var bus = FerryFunctions.bus();
    invokeShip("p-b", parcel("p-b", 1), 1, ferryProperties());
    assertThat(FerryFunctions.bus()).isSameAs(bus);
    assertThat(bus.metrics().handled()).isEqualTo(2);
  }

  @Test
  void concurrentInvocationsShareTheBus() throws Exception {
    int n = 40;
    AtomicInteger failures = new AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int offset = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = offset; i < n; i += threads.length) {
                  try {
                    invokeShip("c-" + i, parcel("c-" + i, 1), 1, ferryProperties());
                  } catch (RuntimeException e) {
                    failures.incrementAndGet();
                  }
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).hasValue(0);
    assertThat(ParcelHandlers.SHIPPING_RUNS).hasSize(n);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                app.serviceBus.entity("parcel-shipped/subscriptions/tracking").activeCount() == n);
  }

  @Test
  void theHostsMetadataBecomesTheEnvelope() {
    Map<String, Object> props = new HashMap<>();
    props.put("cloudEvents_specversion", "1.0"); // no cloudEvents_time: the enqueue time counts
    FerryFunctions.bus(); // the worker is up
    dev.ferry.functions.app.ParcelHandlers.ENVELOPES.clear();
    new ParcelFunctions()
        .ship(
            parcel("p-meta", 1),
            "p-meta",
            1,
            42,
            "ship-parcel",
            "application/json",
            "corr-1",
            "queue:replies",
            "group-7",
            props,
            ENQUEUED,
            new InvocationContext("ship"));
    dev.ferry.Envelope e = dev.ferry.functions.app.ParcelHandlers.ENVELOPES.get("p-meta");
    assertThat(e.correlationId()).isEqualTo("corr-1");
    assertThat(e.replyTo()).isEqualTo("queue:replies");
    assertThat(e.headers()).containsEntry("ferry-group", "group-7");
    assertThat(e.sentAt()).isEqualTo(Instant.parse("2026-11-21T07:00:00.1234567Z"));
  }

  @Test
  void aMessageWithoutMessageIdIsToldApartByItsSequenceNumber() {
    for (long seq : new long[] {101, 102}) {
      new ParcelFunctions()
          .ship(
              parcel("p-noid-" + seq, 1),
              null,
              1,
              seq,
              "ship-parcel",
              "application/json",
              null,
              null,
              null,
              ferryProperties(),
              ENQUEUED,
              new InvocationContext("ship"));
    }
    assertThat(ParcelHandlers.SHIPPING_RUNS).containsKeys("p-noid-101", "p-noid-102");
    assertThat(FerryFunctions.bus().metrics().duplicates()).isZero();
  }

  @Test
  void aMessageWithNeitherIdNorSequenceNumberIsADeadLetterNotADuplicate() {
    for (int i = 0; i < 2; i++) {
      new ParcelFunctions()
          .ship(
              parcel("p-anon-" + i, 1),
              null,
              1,
              0,
              "ship-parcel",
              "application/json",
              null,
              null,
              null,
              ferryProperties(),
              ENQUEUED,
              new InvocationContext("ship"));
    }
    assertThat(ParcelHandlers.SHIPPING_RUNS).isEmpty();
    assertThat(FerryFunctions.bus().deadLetters().list(10))
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.reason()).isEqualTo("malformed-headers"));
  }

  @Test
  void aBatchWithoutDeliveryCountsFailsLoudly() {
    assertThatThrownBy(
            () ->
                FerryFunctions.queue("parcels")
                    .handleBatch(
                        ServiceBusTrigger.batch(new byte[][] {parcel("b", 1)})
                            .messageIds(new String[] {"b"}),
                        new InvocationContext("shipBatch")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DeliveryCountArray");
  }

  static byte[] parcel(String id, int weight) {
    return ("{\"parcelId\":\"" + id + "\",\"weight\":" + weight + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** What Ferry's Service Bus sender writes, as the host passes it back: through JSON. */
  static Map<String, Object> ferryProperties() {
    Map<String, Object> p = new HashMap<>();
    p.put("cloudEvents_specversion", "1.0");
    p.put("cloudEvents_source", "shop");
    p.put("cloudEvents_time", "2026-11-21T06:59:59.5Z");
    return p;
  }

  static void invokeShip(String id, byte[] body, int deliveryCount, Map<String, Object> props) {
    new ParcelFunctions()
        .ship(
            body,
            id,
            deliveryCount,
            SEQUENCE.incrementAndGet(),
            "ship-parcel",
            "application/json",
            null,
            null,
            null,
            props,
            ENQUEUED,
            new InvocationContext("ship"));
  }
}
