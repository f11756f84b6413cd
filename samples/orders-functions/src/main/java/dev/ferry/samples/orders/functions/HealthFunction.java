package dev.ferry.samples.orders.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.ferry.BusHealth;
import dev.ferry.functions.FerryFunctions;
import java.util.Optional;

/**
 * {@code GET /api/health/live} and {@code GET /api/health/ready}: the worker's bus's {@link
 * BusHealth}, 200 when UP and 503 with the reasons when DOWN, for the platform's health check or a
 * probe. Liveness answers without starting the bus; readiness starts it if it is not running (the
 * store must answer).
 */
public class HealthFunction {

  @FunctionName("health")
  public HttpResponseMessage health(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              route = "health/{probe}",
              authLevel = AuthorizationLevel.ANONYMOUS)
          HttpRequestMessage<Optional<String>> request,
      @BindingName("probe") String probe,
      ExecutionContext context) {
    BusHealth.Check check;
    try {
      BusHealth health = BusHealth.of(FerryFunctions.bus());
      check =
          switch (probe) {
            case "live" -> health.liveness();
            case "ready" -> health.readiness();
            default -> null;
          };
    } catch (RuntimeException e) {
      // The bus could not start (the store or Service Bus is unreachable): not ready.
      check = new BusHealth.Check(false, java.util.List.of("bus unavailable: " + e.getMessage()));
    }
    if (check == null) {
      return request
          .createResponseBuilder(HttpStatus.NOT_FOUND)
          .body("{\"error\":\"probe is live or ready\"}")
          .header("Content-Type", "application/json")
          .build();
    }
    return request
        .createResponseBuilder(check.up() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .header("Content-Type", "application/json")
        .body(json(probe, check))
        .build();
  }

  static String json(String probe, BusHealth.Check check) {
    StringBuilder b =
        new StringBuilder("{\"probe\":\"")
            .append(probe)
            .append("\",\"status\":\"")
            .append(check.up() ? "UP" : "DOWN")
            .append("\",\"reasons\":[");
    for (int i = 0; i < check.reasons().size(); i++) {
      b.append(i == 0 ? "" : ",").append('"').append(escape(check.reasons().get(i))).append('"');
    }
    return b.append("]}").toString();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
