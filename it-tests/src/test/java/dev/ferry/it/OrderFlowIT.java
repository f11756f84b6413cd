package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.support.Db;
import dev.ferry.it.support.Http;
import dev.ferry.it.support.Json;
import dev.ferry.it.support.PostgresLauncher;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sample WAR on WildFly with its embedded Artemis (through {@code java:/ConnectionFactory}) and
 * PostgreSQL: the REST API, the JTA business transaction with the outbox, publish/subscribe to two
 * subscriptions, the competing workers of the shipping queue, and bad input.
 */
class OrderFlowIT extends OrdersOnWildFly {
  static final Db DB = new Db("wildfly");
  static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void bothSubscribersHandleTheirOwnCopyAndTheOrderIsShipped() {
    Http http = new Http(base);
    UUID id = UUID.fromString(Http.orderId(http.post("orders", Http.order("ada", "TEA-1", 2))));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(DB.rows("invoices", id)).as("billing").isEqualTo(1);
              assertThat(DB.rows("emails", id)).as("email").isEqualTo(1);
              assertThat(DB.rows("shipments", id)).as("shipping").isEqualTo(1);
            });
    JsonNode status = Json.read(http.get("orders/" + id).body());
    assertThat(status.get("invoiced").asBoolean()).isTrue();
    assertThat(status.get("emailed").asBoolean()).isTrue();
    assertThat(status.get("shipped").asBoolean()).isTrue();
    assertThat(DB.deadLettersMentioning(id.toString())).isZero();
    // The service's one subscription recorded the event in its inbox: billing and e-mail ran on
    // that one copy, and no other endpoint (no queue named after the event) received it.
    assertThat(
            DB.count(
                "select count(*) from it_ferry_wildfly.incoming where endpoint like ?",
                "%orders.order-placed.v1/subscriptions/orders"))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            DB.count(
                "select count(*) from it_ferry_wildfly.incoming where endpoint like ?",
                "%queue:orders.order-placed.v1"))
        .isZero();
  }

  @Test
  void workersCompeteForTheShippingQueueAndEachCommandIsShippedOnce() {
    Http http = new Http(base);
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      ids.add(UUID.fromString(Http.orderId(http.post("orders", Http.order("bulk" + i, "PEN", 1)))));
    }
    await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> DB.rows("shipments", id) == 1));
    List<String> workers =
        DB.strings(
            "select distinct worker from shipments where order_id = any (?)",
            (Object) ids.toArray(UUID[]::new));
    assertThat(workers).as("consumers that took shipping commands").hasSizeGreaterThan(1);
    assertThat(
            DB.count(
                "select count(*) from shipments where order_id = any (?)",
                (Object) ids.toArray(UUID[]::new)))
        .isEqualTo(16);
  }

  @Test
  void aRolledBackBusinessTransactionPublishesNothing() throws Exception {
    Http http = new Http(base);
    String sku = "RARE-" + UUID.randomUUID();
    String customer = "carol" + System.nanoTime();
    assertThat(http.put("admin/stock/" + sku, "{\"available\": 1}").status()).isEqualTo(204);

    // The order row and OrderPlaced are written first, then the reservation fails: 409.
    Http.Answer answer = http.post("orders", Http.order(customer, sku, 2));

    assertThat(answer.status()).isEqualTo(409);
    assertThat(Json.field(answer.body(), "error"))
        .isEqualTo("Only 1 of " + sku + " in stock, 2 ordered");
    assertThat(DB.count("select count(*) from orders where customer = ?", customer)).isZero();
    assertThat(DB.outgoingMentioning(customer)).isZero();
    Thread.sleep(1500); // would any handler hear of it?
    assertThat(
            DB.count("select count(*) from emails where recipient = ?", customer + "@example.com"))
        .isZero();
    assertThat(DB.count("select available from stock where sku = ?", sku)).isEqualTo(1);

    // The same order within the stock goes through.
    UUID id = UUID.fromString(Http.orderId(http.post("orders", Http.order(customer, sku, 1))));
    await().atMost(WAIT).until(() -> DB.rows("emails", id) == 1);
  }

  @Test
  void malformedOrdersAre400WithAClearMessageAndPublishNothing() throws Exception {
    Http http = new Http(base);
    String customer = "mallory" + System.nanoTime();
    long outgoingBefore = DB.outgoingMentioning(customer);

    Http.Answer broken = http.post("orders", "{\"customer\": \"" + customer + "\", \"lines\": [");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(Json.field(broken.body(), "error"))
        .startsWith("Malformed order JSON at line 1, column");

    Http.Answer wrongType =
        http.post(
            "orders",
            "{\"customer\":\""
                + customer
                + "\",\"email\":\"m@example.com\","
                + "\"lines\":[{\"sku\":\"X\",\"quantity\":\"lots\",\"unitPrice\":1}]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(Json.field(wrongType.body(), "error"))
        .isEqualTo("Invalid order: 'lines[0].quantity' must be a whole number");

    Http.Answer incomplete = http.post("orders", "{\"customer\":\"" + customer + "\"}");
    assertThat(incomplete.status()).isEqualTo(400);
    assertThat(Json.field(incomplete.body(), "error")).contains("'email'");

    assertThat(DB.count("select count(*) from orders where customer = ?", customer)).isZero();
    assertThat(DB.outgoingMentioning(customer)).isEqualTo(outgoingBefore).isZero();
    Thread.sleep(500);
    assertThat(DB.count("select count(*) from emails where recipient like ?", customer + "%"))
        .isZero();
  }

  @Test
  void healthIsUpOnTheJmsTransport() {
    Http.Answer health = new Http(base).get("health");
    assertThat(health.status()).isEqualTo(200);
    JsonNode body = Json.read(health.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("transport").asText()).isEqualTo("jms");
    assertThat(body.get("database").asText()).isEqualTo("UP");
  }

  /** The management interface of the {@code wildfly} container (port 9990, offset 100). */
  static final URI READY = URI.create("http://127.0.0.1:10090/health/ready");

  /** Ferry's check in a MicroProfile Health answer, or null when it is not there. */
  private static JsonNode ferryCheck(Http.Answer answer) {
    for (JsonNode check : Json.read(answer.body()).path("checks")) {
      if (check.path("name").asText().equals("ferry")) {
        return check;
      }
    }
    return null;
  }

  @Test
  void readinessIsDownWhilePostgresIsStoppedAndUpOnceItIsBack() throws Exception {
    assumeTrue(PostgresLauncher.embedded(), "needs the embedded PostgreSQL, which it stops");
    Http.Answer ready = Http.get(READY);
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    assertThat(ferryCheck(ready).path("status").asText()).isEqualTo("UP");
    assertThat(ferryCheck(ready).path("data").path("service").asText()).isEqualTo("orders");

    PostgresLauncher.stopServer();
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                Http.Answer down = Http.get(READY);
                assertThat(down.status()).as(down.body()).isEqualTo(503);
                JsonNode ferry = ferryCheck(down);
                assertThat(ferry.path("status").asText()).isEqualTo("DOWN");
                assertThat(ferry.path("data").path("reason.1").asText())
                    .isEqualTo("store does not answer");
              });
    } finally {
      PostgresLauncher.startServer();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Http.Answer up = Http.get(READY);
              assertThat(up.status()).as(up.body()).isEqualTo(200);
              assertThat(ferryCheck(up).path("status").asText()).isEqualTo("UP");
            });
    // The application works again: an order placed now is billed.
    Http http = new Http(base);
    UUID id = UUID.fromString(Http.orderId(http.post("orders", Http.order("grace", "TEA-1", 1))));
    await().atMost(WAIT).until(() -> DB.rows("invoices", id) == 1);
  }
}
