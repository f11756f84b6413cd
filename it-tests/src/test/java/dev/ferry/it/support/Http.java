package dev.ferry.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the sample's REST API. */
public final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  /** {@code base} is the deployment's URL, e.g. {@code http://127.0.0.1:8180/orders/}. */
  public Http(URL base) {
    String s = base.toString();
    this.base = URI.create((s.endsWith("/") ? s : s + "/") + "api/");
  }

  /** A status and a body. */
  public record Answer(int status, String body) {}

  public Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** A GET of an absolute URI, e.g. the management interface's {@code /health/ready}. */
  public static Answer get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  public Answer post(String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer put(String path, String json) {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          CLIENT.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An order request of one line. */
  public static String order(String customer, String sku, int quantity) {
    return "{\"customer\":\""
        + customer
        + "\",\"email\":\""
        + customer
        + "@example.com\",\"lines\":[{\"sku\":\""
        + sku
        + "\",\"quantity\":"
        + quantity
        + ",\"unitPrice\":4.25}]}";
  }

  /** The {@code orderId} of a 201 answer's body. */
  public static String orderId(Answer created) {
    if (created.status() != 201) {
      throw new AssertionError("Expected 201, got " + created);
    }
    return Json.field(created.body(), "orderId");
  }
}
