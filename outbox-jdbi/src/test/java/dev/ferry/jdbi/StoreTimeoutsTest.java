package dev.ferry.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.jdbi.OrderMessages.OrderPlaced;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store's statement timeout: a transaction that never ends (a hung handler's, on another node)
 * holds an inbox row; the insert of the same id waits at most the timeout, fails like any store
 * failure (redelivered, not an attempt), and the listener's only slot goes on to other messages.
 */
@ExtendWith(PostgresExtension.class)
class StoreTimeoutsTest {
  private final PostgresDatabase db;

  StoreTimeoutsTest(PostgresDatabase db) {
    this.db = db;
  }

  private static Envelope order(String id, String orderId) {
    return Envelope.builder()
        .id(id)
        .messageType("ferry.test.order-placed.v1")
        .contentType("application/json")
        .body(("{\"id\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void aLockedInboxRowDoesNotHoldTheListenerForever() throws Exception {
    String unique = "timeouts" + ProcessHandle.current().pid();
    JdbiEnvelopeStore store =
        TestStores.builder(db).statementTimeout(Duration.ofSeconds(1)).build();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Address queue = Address.parse("local:queue:" + unique + ".orders");
    try (MessageBus bus =
            MessageBus.builder()
                .serviceName("shop")
                .localBroker(unique)
                .store(store)
                .listeners(ListenerOptions.defaults().concurrency(1))
                .messageTypes(OrderPlaced.class)
                .route(OrderPlaced.class, "queue:" + unique + ".orders")
                .handle(
                    OrderPlaced.class,
                    (m, ctx) -> {
                      handled.add(m.id());
                      return null;
                    })
                .build();
        Handle other = store.jdbi().open();
        LocalTransport local =
            new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", unique)))) {
      other.begin();
      other.execute(
          "INSERT INTO \""
              + store.schema()
              + "\".incoming (message_id, endpoint, handled_at) VALUES (?, ?, now())",
          "held",
          queue.toString());
      local.start(
          new TransportContext("raw", "raw", FerryConfig.of(Map.of()), HostExecutors.bounded()));
      try (Sender s = local.sender(queue)) {
        s.send(List.of(order("held", "o-held")));
        s.send(List.of(order("next", "o-next")));
      }
      // The slot is not stuck behind the held row: the next message is handled meanwhile.
      await().atMost(Duration.ofSeconds(8)).until(() -> handled.contains("o-next"));
      assertThat(handled).doesNotContain("o-held");
      other.rollback(); // the other transaction ends without handling it
      await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("o-held"));
      assertThat(bus.metrics().deadLettered()).isZero();
    } finally {
      db.dropSchema(store.schema());
    }
  }
}
