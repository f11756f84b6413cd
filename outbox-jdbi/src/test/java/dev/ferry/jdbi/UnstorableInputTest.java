package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.jdbi.internal.Storable;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Values from the wire PostgreSQL cannot store (a NUL character in an id, a header or an exception
 * text, a date outside its range, an id over the index key limit): each such message is
 * dead-lettered with a reason, stored in a storable form, and the listener goes on.
 */
@ExtendWith(PostgresExtension.class)
class UnstorableInputTest {
  private static final AtomicInteger RUN = new AtomicInteger();
  private final PostgresDatabase db;
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private String unique;
  private JdbiEnvelopeStore store;
  private MessageBus bus;

  UnstorableInputTest(PostgresDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void start() {
    unique = "unstorable" + ProcessHandle.current().pid() + "x" + RUN.incrementAndGet();
    store = TestStores.builder(db).build();
    bus =
        MessageBus.builder()
            .serviceName("shop")
            .localBroker(unique)
            .store(store)
            .messageTypes(OrderPlaced.class)
            .route(OrderPlaced.class, "queue:" + unique + ".orders")
            .onError(ErrorPolicy.on(IllegalStateException.class).thenDeadLetter())
            .handle(
                OrderPlaced.class,
                (m, ctx) -> {
                  if (m.id().equals("nul-in-exception")) {
                    throw new IllegalStateException("cannot \0 handle");
                  }
                  handled.add(m.id());
                  return null;
                })
            .build();
  }

  @AfterEach
  void stop() {
    bus.close();
    db.dropSchema(store.schema());
  }

  private static Envelope.Builder order(String id, String orderId) {
    return Envelope.builder()
        .id(id)
        .messageType("ferry.test.order-placed.v1")
        .contentType("application/json")
        .body(("{\"id\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unstorableValuesAreDeadLetteredWithTheReasonAndTheListenerGoesOn() throws Exception {
    String longId = "x".repeat(3000);
    List<Envelope> raw =
        List.of(
            order("nul\0id", "o-1").build(),
            order("nul-header", "o-2").header("customer", "c\0-7").build(),
            order("far-future", "o-3").deliverBy(Instant.parse("+300000-01-01T00:00:00Z")).build(),
            order(longId, "o-4").build(),
            order("nul-correlation", "o-5").correlationId("c\0").build(),
            order("exception", "nul-in-exception").build(),
            order("fine", "ok-1").build());
    try (LocalTransport local =
        new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", unique)))) {
      local.start(
          new TransportContext("raw", "raw", FerryConfig.of(Map.of()), HostExecutors.bounded()));
      try (Sender s = local.sender(Address.parse("local:queue:" + unique + ".orders"))) {
        for (Envelope e : raw) {
          s.send(List.of(e));
        }
      }
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> handled.contains("ok-1") && bus.deadLetters().count() == 6);
    assertThat(handled).containsExactly("ok-1");
    List<DeadLetter> dead = bus.deadLetters().list(10);
    assertThat(dead).extracting(DeadLetter::id).doesNotHaveDuplicates();
    assertThat(dead)
        .filteredOn(d -> d.reason().equals(Reasons.UNSTORABLE))
        .hasSize(5)
        .allSatisfy(d -> assertThat(d.exceptionMessage()).contains("cannot be stored"));
    DeadLetter nulId =
        dead.stream()
            .filter(d -> d.envelope().id().startsWith("nul"))
            .filter(d -> d.envelope().id().endsWith("id"))
            .findFirst()
            .orElseThrow();
    assertThat(nulId.envelope().id()).isEqualTo("nul\uFFFDid");
    assertThat(nulId.envelope().headers())
        .containsEntry(Storable.ORIGINAL_HEADER_PREFIX + "id", "nul\\0id");
    assertThat(dead)
        .anySatisfy(
            d ->
                assertThat(d.envelope().headers())
                    .containsEntry(
                        Storable.ORIGINAL_HEADER_PREFIX + "deliver-by", "+300000-01-01T00:00:00Z"))
        .anySatisfy(d -> assertThat(d.envelope().headers()).containsEntry("customer", "c\uFFFD-7"))
        .anySatisfy(
            d ->
                assertThat(d.envelope().id())
                    .startsWith("xxxx")
                    .contains("...sha256:")
                    .hasSizeLessThan(400));
    DeadLetter failed =
        dead.stream().filter(d -> d.reason().equals(Reasons.HANDLER_FAILED)).findFirst().get();
    assertThat(failed.exceptionMessage()).isEqualTo("cannot \uFFFD handle");
  }
}
