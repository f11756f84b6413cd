package dev.ferry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ConfigurationException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API's contract, over HTTP against a running service with dead letters. */
class ConsoleRestTest {
  private ShopService shop;
  private ConsoleServer server;
  private ConsoleHttp http;

  @BeforeEach
  void start() {
    shop = new ShopService().withDeadLetters();
    server = FerryConsole.builder(shop.bus).operator("alice").build().serve();
    http = new ConsoleHttp(server);
  }

  @AfterEach
  void stop() {
    server.close();
    shop.close();
  }

  private List<JsonNode> items(JsonNode list) {
    List<JsonNode> out = new ArrayList<>();
    list.get("items").forEach(out::add);
    return out;
  }

  private String idOf(String orderId) throws Exception {
    for (JsonNode d :
        items(http.get("api/dead-letters?messageType=" + ShopService.SHIP_TYPE).json())) {
      JsonNode detail = http.get("api/dead-letters/" + d.get("id").asText()).json();
      if (detail.get("body").asText().contains("\"" + orderId + "\"")) {
        return d.get("id").asText();
      }
    }
    throw new AssertionError("no dead letter for " + orderId);
  }

  @Test
  void bindsToLoopbackAndRefusesCallsWithoutTheToken() throws Exception {
    assertThat(server.url()).startsWith("http://127.0.0.1:");
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/dead-letters")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain(server.token());
    HttpResponse<String> wrong =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/dead-letters"))
                    .header("Authorization", "Bearer not-the-token")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
  }

  @Test
  void listsFiltersAndGroupsByReasonAndException() throws Exception {
    assertThat(items(http.get("api/dead-letters").json())).hasSize(5);
    assertThat(items(http.get("api/dead-letters?messageType=" + ShopService.SHIP_TYPE).json()))
        .hasSize(3)
        .allSatisfy(d -> assertThat(d.get("reason").asText()).isEqualTo("handler-failed"));
    assertThat(
            items(
                http.get("api/dead-letters?exceptionType=java.lang.IllegalArgumentException")
                    .json()))
        .hasSize(2)
        .allSatisfy(
            d -> assertThat(d.get("messageType").asText()).isEqualTo(ShopService.CHARGE_TYPE));
    String endpoint = items(http.get("api/dead-letters").json()).get(0).get("endpoint").asText();
    assertThat(items(http.get("api/dead-letters?endpoint=" + endpoint).json())).isNotEmpty();
    assertThat(items(http.get("api/dead-letters?after=" + Instant.now().plusSeconds(60)).json()))
        .isEmpty();
    assertThat(items(http.get("api/dead-letters?before=" + Instant.now().plusSeconds(60)).json()))
        .hasSize(5);
    assertThat(http.get("api/dead-letters?after=yesterday").status()).isEqualTo(400);

    JsonNode groups = http.get("api/groups").json().get("groups");
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0).get("count").asInt()).isEqualTo(3);
    assertThat(groups.get(0).get("exceptionType").asText())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(groups.get(1).get("count").asInt()).isEqualTo(2);
  }

  @Test
  void showsEnvelopeHeadersBodyAndStackTraceWithSecretsMasked() throws Exception {
    String id = idOf("<script>window.pwned=1</script>");
    JsonNode d = http.get("api/dead-letters/" + id).json();
    assertThat(d.get("envelope").get("messageType").asText()).isEqualTo(ShopService.SHIP_TYPE);
    assertThat(d.get("envelope").get("source").asText()).isEqualTo("shop");
    assertThat(d.get("bodyEncoding").asText()).isEqualTo("utf-8");
    assertThat(d.get("body").asText()).contains("<script>window.pwned=1</script>");
    assertThat(d.get("headers").get("x-note").asText())
        .isEqualTo("<img src=x onerror=window.pwned=2>");
    assertThat(d.get("headers").get("api-key").asText()).isEqualTo("[redacted]");
    assertThat(d.toString()).doesNotContain("s3cr3t-header-value");
    assertThat(d.get("stackTrace").asText()).contains("warehouse rejected quantity 0");
    assertThat(http.get("api/dead-letters/no-such-id").status()).isEqualTo(404);
    // Ids hold '@' and ':' (id@endpoint); a client that percent-encodes them finds the same one.
    String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
    assertThat(encoded).isNotEqualTo(id);
    assertThat(http.get("api/dead-letters/" + encoded).json().get("id").asText()).isEqualTo(id);
  }

  @Test
  void stateChangesNeedTheSessionsCsrfTokenAndTheirOwnOrigin() throws Exception {
    String id = idOf("o-1");
    assertThat(http.post("api/dead-letters/" + id + "/purge", "{}", null, null).status())
        .isEqualTo(403);
    assertThat(http.post("api/dead-letters/" + id + "/purge", "{}", "forged", null).status())
        .isEqualTo(403);
    String csrf = http.get("api/session").json().get("csrfToken").asText();
    assertThat(
            http.post("api/dead-letters/" + id + "/purge", "{}", csrf, "http://evil.example")
                .status())
        .isEqualTo(403);
    assertThat(shop.bus.deadLetters().count()).isEqualTo(5);

    assertThat(
            http.post(
                    "api/dead-letters/" + id + "/purge",
                    "{}",
                    csrf,
                    server.url().replaceAll("/$", ""))
                .status())
        .isEqualTo(200);
    assertThat(shop.bus.deadLetters().count()).isEqualTo(4);
  }

  @Test
  void editedBodyIsCheckedAgainstTheMessageTypeThenReplayedAndAudited() throws Exception {
    String id = idOf("o-1");
    ConsoleHttp.Answer bad =
        http.post(
            "api/dead-letters/" + id + "/replay", "{\"body\":\"{\\\"quantity\\\":\\\"many\\\"}\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).contains(ShopService.SHIP_TYPE);
    assertThat(shop.bus.deadLetters().find(id)).isPresent();

    ConsoleHttp.Answer ok =
        http.post(
            "api/dead-letters/" + id + "/replay",
            "{\"body\":\"{\\\"orderId\\\":\\\"o-1\\\",\\\"quantity\\\":2}\"}");
    assertThat(ok.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> shop.shipped.contains("o-1"));
    assertThat(shop.bus.deadLetters().find(id)).isEmpty();

    JsonNode audit = http.get("api/audit").json();
    assertThat(audit.get("location").asText()).isEqualTo("memory");
    JsonNode newest = audit.get("entries").get(0);
    assertThat(newest.get("operator").asText()).isEqualTo("alice (cli)");
    assertThat(newest.get("action").asText()).isEqualTo("replay-edited");
    assertThat(newest.get("target").asText()).isEqualTo(id);
    assertThat(newest.get("result").asText()).startsWith("replayed with an edited body");
    JsonNode refused = audit.get("entries").get(1);
    assertThat(refused.get("result").asText()).startsWith("rejected: ");
  }

  @Test
  void replaysAndPurgesASelectionOrAWholeGroup() throws Exception {
    String a = idOf("o-1");
    String b = idOf("o-2");
    assertThat(
            http.post("api/replay", "{\"ids\":[\"" + a + "\",\"" + b + "\",\"gone\"]}")
                .json()
                .get("replayed")
                .asInt())
        .isEqualTo(2);
    shop.awaitDeadLetters(5); // both failed again: same quantity
    assertThat(http.post("api/purge", "{\"filter\":{}}").status()).isEqualTo(400);

    ConsoleHttp.Answer group =
        http.post(
            "api/purge",
            "{\"filter\":{\"reason\":\"handler-failed\","
                + "\"exceptionType\":\"java.lang.IllegalArgumentException\"}}");
    assertThat(group.json().get("purged").asInt()).isEqualTo(2);
    assertThat(shop.bus.deadLetters().count()).isEqualTo(3);
    assertThat(
            http.post(
                    "api/replay",
                    "{\"filter\":{\"messageType\":\"" + ShopService.SHIP_TYPE + "\"}}")
                .json()
                .get("replayed")
                .asInt())
        .isEqualTo(3);
    shop.awaitDeadLetters(3);
    assertThat(http.post("api/purge", "{\"filter\":{},\"all\":true}").json().get("purged").asInt())
        .isEqualTo(3);
    assertThat(shop.bus.deadLetters().count()).isZero();
    assertThat(http.get("api/audit").json().get("entries")).hasSize(4);
  }

  @Test
  void gaugesShowTheStoreTheCountersCircuitsAndListeners() throws Exception {
    JsonNode g = http.get("api/gauges").json();
    assertThat(g.get("store").get("deadLetters").asLong()).isEqualTo(5);
    assertThat(g.get("store").has("outboxDepth")).isTrue();
    assertThat(g.get("metrics").get("deadLettered").asLong()).isEqualTo(5);
    JsonNode status = g.get("status");
    assertThat(status.get("storeAnswers").asBoolean()).isTrue();
    assertThat(status.get("listeners").size()).as("listeners").isPositive();
    assertThat(status.get("listeners").get(0).get("holding").asBoolean()).isFalse();
    assertThat(status.get("destinations").isArray()).isTrue();
    for (JsonNode d : status.get("destinations")) {
      assertThat(d.get("circuitOpen").asBoolean()).as(d.toString()).isFalse();
    }
  }

  @Test
  void theUiIsServedWithAPolicyThatRunsNoInlineScript() throws Exception {
    ConsoleHttp.Answer page = http.get("");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(page.raw().body()).contains("app.js");
    HttpResponse<String> login =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.operatorUrl())).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .contains("HttpOnly")
        .contains("SameSite=Strict");
    assertThat(login.headers().firstValue("Location").orElseThrow()).isEqualTo("/");
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    assertThat(cookie).startsWith("ferry-console-" + server.port() + "=");
    HttpResponse<String> withCookie =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url() + "api/session"))
                    .header("Cookie", cookie)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(withCookie.statusCode()).isEqualTo(200);
    assertThat(withCookie.body()).contains("(web)");
  }

  @Test
  void aConfiguredTokenIsUsedAndAShortOneRefused() throws Exception {
    String token = "a-configured-token-0123456789";
    try (ConsoleServer configured = FerryConsole.builder(shop.bus).token(token).build().serve()) {
      assertThat(configured.token()).isEqualTo(token);
      assertThat(new ConsoleHttp(configured).get("api/session").status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> FerryConsole.builder(shop.bus).token("short").build().serve())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.console.token")
        .hasMessageNotContaining("short");
  }
}
