package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the PostgreSQL store, the audit trail is a table in the store's database and schema: the
 * console creates it, creating it again (also from consoles starting together) changes nothing, and
 * entries outlive the console.
 */
@ExtendWith(PostgresExtension.class)
class PostgresAuditTest {

  @Test
  void auditRowsLiveInTheStoresSchemaAndOutliveTheConsole(PostgresDatabase db) throws Exception {
    JdbiEnvelopeStore store = TestStores.inNewSchema(db);
    try (ShopService shop = new ShopService(b -> b.store(store)).withDeadLetters()) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Callable<FerryConsole>> starts =
          List.of(
              () -> FerryConsole.builder(shop.bus).auditStore(store).build(),
              () -> FerryConsole.builder(shop.bus).auditStore(store).build(),
              () -> FerryConsole.builder(shop.bus).auditStore(store).build());
      FerryConsole first = null;
      for (Future<FerryConsole> f : pool.invokeAll(starts)) {
        first = f.get();
      }
      pool.shutdown();

      String id =
          shop
              .bus
              .deadLetters()
              .list(DeadLetterQuery.all().messageType(ShopService.SHIP_TYPE))
              .stream()
              .map(DeadLetter::id)
              .findFirst()
              .orElseThrow();
      try (ConsoleServer server = first.serve()) {
        ConsoleHttp http = new ConsoleHttp(server);
        assertThat(
                http.post(
                        "api/dead-letters/" + id + "/replay",
                        "{\"body\":\"{\\\"orderId\\\":\\\"o-db\\\",\\\"quantity\\\":1}\"}")
                    .status())
            .isEqualTo(200);
        assertThat(http.get("api/audit").json().get("location").asText())
            .isEqualTo("postgresql:" + store.schema() + ".console_audit");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> shop.shipped.contains("o-db"));

      List<AuditEntry> rows = FerryConsole.builder(shop.bus).auditStore(store).build().audit(10);
      assertThat(rows)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.action()).isEqualTo("replay-edited");
                assertThat(e.target()).isEqualTo(id);
                assertThat(e.result()).startsWith("replayed with an edited body");
              });
      long inTable =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery("SELECT count(*) FROM " + store.schema() + ".console_audit")
                          .mapTo(Long.class)
                          .one());
      assertThat(inTable).isEqualTo(1);
    } finally {
      db.dropSchema(store.schema());
    }
  }
}
