package dev.ferry.samples.orders.war;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.samples.orders.Orders;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jdbi.v3.core.Jdbi;

/**
 * Operator switches of the sample: {@code PUT /api/admin/carrier {"available": false}} closes the
 * carrier (shipping then fails, retries and dead-letters); {@code PUT /api/admin/stock/{sku}
 * {"available": 3}} tracks an article's stock.
 */
@Path("admin")
@RequestScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
  @Inject Jdbi jdbi;

  @PUT
  @Path("carrier")
  public Response carrier(String body) {
    JsonNode json = Json.readObject(body);
    if (json == null || !json.path("available").isBoolean()) {
      return Json.error(Response.Status.BAD_REQUEST, "Expected {\"available\": true|false}");
    }
    jdbi.useHandle(h -> Orders.setCarrierAvailable(h, json.get("available").booleanValue()));
    return Response.noContent().build();
  }

  @PUT
  @Path("stock/{sku}")
  public Response stock(@PathParam("sku") String sku, String body) {
    JsonNode json = Json.readObject(body);
    if (json == null
        || !json.path("available").canConvertToInt()
        || json.get("available").asInt() < 0) {
      return Json.error(Response.Status.BAD_REQUEST, "Expected {\"available\": a number >= 0}");
    }
    jdbi.useHandle(h -> Orders.setStock(h, sku, json.get("available").asInt()));
    return Response.noContent().build();
  }
}
