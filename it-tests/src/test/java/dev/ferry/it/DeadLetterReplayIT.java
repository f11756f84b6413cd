package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.support.Db;
import dev.ferry.it.support.Http;
import dev.ferry.it.support.Json;
import dev.ferry.samples.orders.OrderFlow;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A failing handler retries, then dead-letters; the REST API lists the dead letter and replays it.
 */
class DeadLetterReplayIT extends OrdersOnWildFly {
  static final Db DB = new Db("wildfly");
  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void shippingRetriesThenDeadLettersAndAReplaySucceeds() {
    Http http = new Http(base);
    assertThat(http.put("admin/carrier", "{\"available\": false}").status()).isEqualTo(204);

    UUID id = UUID.fromString(Http.orderId(http.post("orders", Http.order("dora", "MUG", 1))));

    AtomicReference<JsonNode> deadLetter = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode list = Json.read(http.get("dead-letters?limit=1000").body());
              JsonNode found = null;
              for (JsonNode dl : list) {
                if (dl.get("body").asText().contains(id.toString())
                    && dl.get("endpoint").asText().endsWith(OrderFlow.SHIPPING_QUEUE)) {
                  found = dl;
                }
              }
              assertThat(found).as("dead letter of order " + id).isNotNull();
              deadLetter.set(found);
            });
    JsonNode dl = deadLetter.get();
    assertThat(dl.get("endpoint").asText()).isEqualTo("jms:" + OrderFlow.SHIPPING_QUEUE);
    assertThat(dl.get("messageType").asText()).isEqualTo("orders.ship-order.v1");
    assertThat(dl.get("attempts").asInt()).isEqualTo(OrderFlow.SHIPPING_ATTEMPTS);
    assertThat(dl.get("exceptionType").asText())
        .isEqualTo("dev.ferry.samples.orders.CarrierUnavailableException");
    assertThat(dl.get("exceptionMessage").asText()).contains(id.toString());
    // Billing and e-mail have their own copies: the shipping failure did not touch them.
    assertThat(DB.rows("invoices", id)).isEqualTo(1);
    assertThat(DB.rows("emails", id)).isEqualTo(1);
    assertThat(DB.rows("shipments", id)).isZero();

    String ref = dl.get("ref").asText();
    assertThat(http.get("dead-letters/" + ref).status()).isEqualTo(200);
    assertThat(http.put("admin/carrier", "{\"available\": true}").status()).isEqualTo(204);

    Http.Answer replay = http.post("dead-letters/" + ref + "/replay", "");
    assertThat(replay.status()).isEqualTo(202);

    await().atMost(WAIT).until(() -> DB.rows("shipments", id) == 1);
    assertThat(http.get("dead-letters/" + ref).status()).isEqualTo(404);
    assertThat(http.post("dead-letters/" + ref + "/replay", "").status()).isEqualTo(404);
    // A replay starts the attempts afresh.
    assertThat(DB.count("select attempt from shipments where order_id = ?", id)).isEqualTo(1);
  }
}
