package dev.ferry.samples.orders.war;

import dev.ferry.MessageBus;
import dev.ferry.console.ConsoleApi;
import dev.ferry.console.FerryConsole;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The operations console at {@code /api/console/}: its page and its REST API ({@code
 * /api/console/api/...}). Only users in role {@code ferry-operator} reach it (see web.xml); the
 * audit trail records their names, and lives in the orders database next to the dead letters.
 */
@Path("console")
@ApplicationScoped
public class ConsoleResource {
  @Inject MessageBus bus;
  @Inject Jdbi jdbi;

  private FerryConsole console;

  @PostConstruct
  void start() {
    console =
        FerryConsole.builder(bus)
            .auditStore(JdbiEnvelopeStore.builder().jdbi(jdbi).build())
            .build();
  }

  @GET
  public Response page(@Context UriInfo uri) {
    if (!uri.getPath().endsWith("/")) { // the UI's relative links need the trailing slash
      return Response.seeOther(uri.getAbsolutePathBuilder().path("/").build()).build();
    }
    return reply(console.page("/"));
  }

  @GET
  @Path("{file: app\\.(js|css)}")
  public Response file(@PathParam("file") String file) {
    return reply(console.page("/" + file));
  }

  @GET
  @Path("api/{path: .*}")
  public Response get(@Context UriInfo uri, @Context HttpServletRequest request) {
    return call("GET", uri, new byte[0], request);
  }

  @POST
  @Path("api/{path: .*}")
  public Response post(byte[] body, @Context UriInfo uri, @Context HttpServletRequest request) {
    return call("POST", uri, body == null ? new byte[0] : body, request);
  }

  private Response call(String method, UriInfo uri, byte[] body, HttpServletRequest request) {
    if (request.getUserPrincipal() == null) { // web.xml's constraint was removed or bypassed
      return Response.status(Response.Status.UNAUTHORIZED).build();
    }
    Map<String, String> query = new LinkedHashMap<>();
    uri.getQueryParameters().forEach((k, v) -> query.put(k, v.get(0)));
    return reply(
        console
            .api()
            .handle(
                new ConsoleApi.Request(
                    method,
                    rawTail(uri),
                    query,
                    body,
                    request.getUserPrincipal().getName() + " (web)",
                    request.getSession(true).getId(),
                    request.getHeader("X-Ferry-Csrf"),
                    request.getHeader("Origin"),
                    request.getHeader("Host"))));
  }

  /** The still-encoded path after {@code console/api}, as the API expects it. */
  private static String rawTail(UriInfo uri) {
    String raw = uri.getRequestUri().getRawPath();
    int at = raw.indexOf("/console/api/");
    return raw.substring(at + "/console/api".length());
  }

  private static Response reply(ConsoleApi.Reply r) {
    if (r == null) {
      return Response.status(Response.Status.NOT_FOUND).build();
    }
    return Response.status(r.status())
        .type(r.contentType())
        .entity(r.body())
        .header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'")
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store")
        .build();
  }
}
