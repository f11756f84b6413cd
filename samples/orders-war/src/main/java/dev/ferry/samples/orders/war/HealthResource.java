package dev.ferry.samples.orders.war;

import dev.ferry.BusMetrics;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@code GET /api/health}: 200 when the database answers and the bus runs, else 503. */
@Path("health")
@RequestScoped
public class HealthResource {
  @Inject MessageBus bus;
  @Inject Jdbi jdbi;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response health() {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean up = true;
    body.put("service", bus.serviceName());
    body.put("transport", FerryConfig.fromEnvironment().get(FerryKeys.TRANSPORT));
    try {
      jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one());
      body.put("database", "UP");
    } catch (RuntimeException e) {
      up = false;
      body.put("database", "DOWN: " + e.getMessage());
    }
    try {
      body.put("deadLetters", bus.deadLetters().count());
      BusMetrics m = bus.metrics();
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("sent", m.sent());
      metrics.put("delivered", m.delivered());
      metrics.put("received", m.received());
      metrics.put("handled", m.handled());
      metrics.put("failures", m.failures());
      metrics.put("retries", m.retries());
      metrics.put("deadLettered", m.deadLettered());
      metrics.put("duplicates", m.duplicates());
      body.put("metrics", metrics);
    } catch (RuntimeException e) {
      up = false;
      body.put("bus", "DOWN: " + e.getMessage());
    }
    body.put("status", up ? "UP" : "DOWN");
    return Json.response(up ? Response.Status.OK : Response.Status.SERVICE_UNAVAILABLE, body);
  }
}
