package dev.ferry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.support.Http;
import dev.ferry.it.support.Json;
import dev.ferry.it.support.WildFlyUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The operations console inside the sample WAR on WildFly: the container authenticates (BASIC) and
 * only role {@code ferry-operator} gets in; a state-changing call needs the session's CSRF token; a
 * replay made there is handled and written to the audit trail with the operator's name.
 */
class ConsoleWarIT extends OrdersOnWildFly {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void onlyOperatorsGetInAndTheirReplaysAreAudited() {
    Console anonymous = new Console(base, null);
    Console viewer = new Console(base, WildFlyUsers.VIEWER);
    Console operator = new Console(base, WildFlyUsers.OPERATOR);
    assertThat(anonymous.get("session").statusCode()).as("no credentials").isEqualTo(401);
    assertThat(viewer.get("session").statusCode()).as("not in ferry-operator").isEqualTo(403);
    HttpResponse<String> session = operator.get("session");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(Json.read(session.body()).get("operator").asText())
        .isEqualTo(WildFlyUsers.OPERATOR + " (web)");

    // A dead letter: shipping fails while the carrier is away.
    Http app = new Http(base);
    assertThat(app.put("admin/carrier", "{\"available\": false}").status()).isEqualTo(204);
    UUID order = UUID.fromString(Http.orderId(app.post("orders", Http.order("eve", "MUG", 1))));
    AtomicReference<String> id = new AtomicReference<>();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode items =
                  Json.read(operator.get("dead-letters?limit=1000").body()).get("items");
              for (JsonNode dl : items) {
                if (dl.toString().contains(order.toString())) {
                  id.set(dl.get("id").asText());
                }
              }
              assertThat(id.get()).as("dead letter of order " + order).isNotNull();
            });
    assertThat(app.put("admin/carrier", "{\"available\": true}").status()).isEqualTo(204);
    String path = "dead-letters/" + URLEncoder.encode(id.get(), StandardCharsets.UTF_8) + "/replay";

    assertThat(operator.post(path, null).statusCode()).as("no CSRF token").isEqualTo(403);
    String csrf = Json.read(operator.get("session").body()).get("csrfToken").asText();
    assertThat(viewer.post(path, csrf).statusCode()).as("a viewer with a token").isEqualTo(403);
    HttpResponse<String> replay = operator.post(path, csrf);
    assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode status = Json.read(app.get("orders/" + order).body());
              assertThat(status.get("shipped").asBoolean()).as("shipped after the replay").isTrue();
            });
    JsonNode audit = Json.read(operator.get("audit").body()).get("entries");
    assertThat(audit.toString())
        .contains(WildFlyUsers.OPERATOR + " (web)")
        .contains(id.get())
        .contains("replay");
  }

  /** A browser-like client of the console's API: its own cookies, optionally signed in. */
  static final class Console {
    private final URI api;
    private final String authorization;
    private final HttpClient client;

    Console(URL base, String user) {
      String s = base.toString();
      this.api = URI.create((s.endsWith("/") ? s : s + "/") + "api/console/api/");
      this.authorization =
          user == null
              ? null
              : "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (user + ":" + WildFlyUsers.PASSWORD).getBytes(StandardCharsets.UTF_8));
      this.client =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .connectTimeout(Duration.ofSeconds(5))
              .build();
    }

    HttpResponse<String> get(String path) {
      return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String csrf) {
      HttpRequest.Builder r =
          request(path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{}"));
      if (csrf != null) {
        r.header("X-Ferry-Csrf", csrf);
      }
      return send(r);
    }

    private HttpRequest.Builder request(String path) {
      HttpRequest.Builder r = HttpRequest.newBuilder(api.resolve(path)).timeout(WAIT);
      if (authorization != null) {
        r.header("Authorization", authorization);
      }
      return r;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
