package dev.ferry.samples.orders.war;

import dev.ferry.samples.orders.NewOrder;
import dev.ferry.samples.orders.OrderPlaced;
import dev.ferry.samples.orders.OrderRequests;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@code POST /api/orders} places an order; {@code GET /api/orders/{id}} shows how far it got. */
@Path("orders")
@RequestScoped
public class OrdersResource {
  @Inject OrderService orders;
  @Inject Jdbi jdbi;

  /**
   * 201 with the order id; 400 when the JSON is malformed or incomplete (read before any
   * transaction: nothing is written or published); 409 when stock is short (rolled back).
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response place(String body) {
    NewOrder order = OrderRequests.parse(body);
    OrderPlaced placed = orders.place(order);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("orderId", placed.orderId());
    answer.put("total", placed.total());
    answer.put("items", placed.items());
    return Response.created(URI.create("orders/" + placed.orderId()))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Json.write(answer))
        .build();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  public Response status(@PathParam("id") String id) {
    UUID orderId;
    try {
      orderId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Json.error(Response.Status.NOT_FOUND, "No order " + id);
    }
    Optional<Map<String, Object>> found =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "select o.id, o.customer, o.total, o.items,"
                            + " i.order_id is not null as invoiced,"
                            + " e.order_id is not null as emailed,"
                            + " s.order_id is not null as shipped, s.worker as shipped_by"
                            + " from orders o"
                            + " left join invoices i on i.order_id = o.id"
                            + " left join emails e on e.order_id = o.id"
                            + " left join shipments s on s.order_id = o.id"
                            + " where o.id = :id")
                    .bind("id", orderId)
                    .mapToMap()
                    .findOne());
    return found
        .map(row -> Json.response(Response.Status.OK, row))
        .orElseGet(() -> Json.error(Response.Status.NOT_FOUND, "No order " + id));
  }
}
