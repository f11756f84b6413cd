package dev.ferry.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Raw HTTP calls to a console, for the contract tests: what any client would send. */
final class ConsoleHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String url;
  private final String token;

  ConsoleHttp(ConsoleServer server) {
    this.url = server.url();
    this.token = server.token();
  }

  record Answer(int status, JsonNode json, HttpResponse<String> raw) {}

  Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", auth()));
  }

  /** A POST with this session's CSRF token, as the UI and the CLI send it. */
  Answer post(String path, String body) throws Exception {
    String csrf = get("api/session").json().get("csrfToken").asText();
    return post(path, body, csrf, null);
  }

  Answer post(String path, String body, String csrf, String origin) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Authorization", auth())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (csrf != null) {
      b.header("X-Ferry-Csrf", csrf);
    }
    if (origin != null) {
      b.header("Origin", origin);
    }
    return send(b);
  }

  Answer send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      json = JSON.readTree(r.body());
    }
    return new Answer(r.statusCode(), json, r);
  }

  private String auth() {
    return "Bearer " + token;
  }
}
