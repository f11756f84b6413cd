package dev.ferry.samples.orders.war;

import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dead letters of every endpoint of this service: list, replay, purge. A dead letter's id
 * contains the endpoint ({@code uuid@jms:queue:orders.ship-order.v1}), so URLs carry its {@code
 * ref}: the id in URL-safe Base64.
 */
@Path("dead-letters")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DeadLettersResource {
  @Inject MessageBus bus;

  @GET
  public Response list(
      @QueryParam("endpoint") String endpoint,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    int max = Math.max(1, Math.min(limit, 1000));
    List<DeadLetter> found =
        endpoint == null || endpoint.isBlank()
            ? bus.deadLetters().list(max)
            : bus.deadLetters().list(endpoint, max);
    return Json.response(Response.Status.OK, found.stream().map(this::view).toList());
  }

  @GET
  @Path("{ref}")
  public Response one(@PathParam("ref") String ref) {
    return id(ref)
        .flatMap(id -> bus.deadLetters().find(id))
        .map(dl -> Json.response(Response.Status.OK, view(dl)))
        .orElseGet(() -> notFound(ref));
  }

  /** Sends the original message back to the endpoint it failed on, with its attempts reset. */
  @POST
  @Path("{ref}/replay")
  public Response replay(@PathParam("ref") String ref) {
    Optional<String> id = id(ref);
    if (id.isPresent() && bus.deadLetters().replay(id.get())) {
      return Json.response(Response.Status.ACCEPTED, Map.of("replayed", id.get()));
    }
    return notFound(ref);
  }

  @DELETE
  @Path("{ref}")
  public Response purge(@PathParam("ref") String ref) {
    Optional<String> id = id(ref);
    if (id.isPresent() && bus.deadLetters().purge(id.get())) {
      return Response.noContent().build();
    }
    return notFound(ref);
  }

  private Map<String, Object> view(DeadLetter dl) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("ref", ref(dl.id()));
    m.put("id", dl.id());
    m.put("endpoint", dl.endpoint());
    m.put("messageType", dl.envelope().messageType());
    m.put("messageId", dl.envelope().id());
    m.put("reason", dl.reason());
    m.put("exceptionType", dl.exceptionType());
    m.put("exceptionMessage", dl.exceptionMessage());
    m.put("attempts", dl.attempts());
    m.put("firstFailedAt", dl.firstFailedAt());
    m.put("deadLetteredAt", dl.deadLetteredAt());
    m.put("body", new String(dl.envelope().body(), StandardCharsets.UTF_8));
    return m;
  }

  static String ref(String id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(id.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> id(String ref) {
    try {
      return Optional.of(new String(Base64.getUrlDecoder().decode(ref), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Response notFound(String ref) {
    return Json.error(Response.Status.NOT_FOUND, "No dead letter " + ref);
  }
}
