package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST contract on what a service runs in production: JMS over an embedded Artemis broker (TCP
 * acceptor) and the PostgreSQL store. Dead letters listed, filtered by JMS endpoint, an edited body
 * replayed through the broker and handled, the audit row in the database.
 */
@ExtendWith(PostgresExtension.class)
class ConsoleOnJmsTest {

  @Test
  void listsReplaysAnEditedBodyThroughTheBrokerAndAuditsInTheDatabase(PostgresDatabase db)
      throws Exception {
    Path journal =
        Files.createDirectories(Path.of("target", "artemis-console-" + System.nanoTime()));
    JdbiEnvelopeStore store = TestStores.inNewSchema(db);
    // Closed in finally: its close() may throw InterruptedException, which -Xlint flags in a try.
    EmbeddedArtemis broker = EmbeddedArtemis.builder().dataDirectory(journal).start();
    try (ShopService shop =
            new ShopService(
                    b ->
                        b.store(store)
                            .transport(JmsTransport.builder().url(broker.tcpUrl()).build()))
                .withDeadLetters();
        ConsoleServer server = FerryConsole.builder(shop.bus).auditStore(store).build().serve()) {
      ConsoleHttp http = new ConsoleHttp(server);
      String endpoint = "jms:queue:" + ShopService.SHIP_TYPE;
      JsonNode ships = http.get("api/dead-letters?endpoint=" + endpoint).json().get("items");
      assertThat(ships).hasSize(3);
      String found = null;
      for (JsonNode d : ships) {
        String body =
            http.get("api/dead-letters/" + d.get("id").asText()).json().get("body").asText();
        if (body.contains("\"o-2\"")) {
          found = d.get("id").asText();
        }
      }
      assertThat(found).isNotNull();
      String id = found;

      assertThat(
              http.post(
                      "api/dead-letters/" + id + "/replay",
                      "{\"body\":\"{\\\"orderId\\\":\\\"o-2\\\",\\\"quantity\\\":4}\"}")
                  .status())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(15)).until(() -> shop.shipped.contains("o-2"));
      assertThat(http.get("api/dead-letters?endpoint=" + endpoint).json().get("items")).hasSize(2);
      assertThat(http.get("api/gauges").json().get("store").get("deadLetters").asLong())
          .isEqualTo(4);

      long audited =
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(
                              "SELECT count(*) FROM "
                                  + store.schema()
                                  + ".console_audit WHERE action = 'replay-edited' AND target = :id")
                          .bind("id", id)
                          .mapTo(Long.class)
                          .one());
      assertThat(audited).isEqualTo(1);
    } finally {
      broker.close();
      db.dropSchema(store.schema());
    }
  }
}
