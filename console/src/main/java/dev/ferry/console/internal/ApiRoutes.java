package dev.ferry.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.MessageBus;
import dev.ferry.console.ConsoleApi;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST API's routes over {@link DeadLetterOperations}. */
public final class ApiRoutes implements ConsoleApi {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final String JSON = "application/json; charset=utf-8";
  private static final int DEFAULT_LIMIT = 100;
  private static final int AUDIT_LIMIT = 200;
  private static final Pattern ONE = Pattern.compile("/dead-letters/([^/]+)");
  private static final Pattern ONE_ACTION = Pattern.compile("/dead-letters/([^/]+)/(replay|purge)");

  private final DeadLetterOperations ops;
  private final CsrfGuard csrf;
  private final ObjectMapper json = new ObjectMapper();

  public ApiRoutes(DeadLetterOperations ops, CsrfGuard csrf) {
    this.ops = ops;
    this.csrf = csrf;
  }

  @Override
  public Reply handle(Request r) {
    try {
      if ("POST".equals(r.method())) {
        csrf.check(r.session(), r.csrfToken(), r.origin(), r.host());
        return ok(post(r));
      }
      if ("GET".equals(r.method())) {
        return ok(get(r));
      }
      return error(405, "Method not allowed: " + r.method());
    } catch (BadRequestException e) {
      return error(400, e.getMessage());
    } catch (ForbiddenException e) {
      return error(403, e.getMessage());
    } catch (NotFoundException e) {
      return error(404, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("Console request {} {} failed", r.method(), r.path(), e);
      return error(500, "The request failed: " + Redaction.text(e.toString()));
    }
  }

  private Object get(Request r) {
    String path = r.path();
    switch (path) {
      case "/session":
        return session(r);
      case "/dead-letters":
        return Map.of(
            "items", ops.list(filter(r.query()::get)).stream().map(Views::summary).toList());
      case "/groups":
        {
          DeadLetterOperations.Groups g = ops.groups(filter(r.query()::get));
          return Map.of("groups", g.groups(), "scanned", g.scanned(), "truncated", g.truncated());
        }
      case "/audit":
        return Map.of(
            "location",
            ops.audit().location(),
            "entries",
            ops.audit().recent(AUDIT_LIMIT).stream().map(Views::audit).toList());
      case "/gauges":
        return gauges();
      default:
        Matcher m = ONE.matcher(path);
        if (m.matches()) {
          return Views.detail(ops.find(segment(m.group(1))));
        }
        throw new NotFoundException("No such resource: " + path);
    }
  }

  private Object post(Request r) {
    JsonNode body = body(r.body());
    String path = r.path();
    switch (path) {
      case "/replay":
        return bulk(body, r.operator(), true);
      case "/purge":
        return bulk(body, r.operator(), false);
      case "/drain":
        {
          String entity = text(body, "entity");
          if (entity == null) {
            throw new BadRequestException("Give the entity to drain: {\"entity\": \"...\"}");
          }
          return Map.of("moved", ops.drain(entity, r.operator()));
        }
      default:
        Matcher m = ONE_ACTION.matcher(path);
        if (!m.matches()) {
          throw new NotFoundException("No such action: " + path);
        }
        String id = segment(m.group(1));
        if (m.group(2).equals("purge")) {
          if (ops.purge(List.of(id), r.operator()) == 0) {
            throw new NotFoundException("No dead letter " + id + " (replayed or purged?)");
          }
          return Map.of("purged", 1);
        }
        String edited = text(body, "body");
        if (edited != null) {
          ops.replayEdited(id, edited.getBytes(StandardCharsets.UTF_8), r.operator());
        } else if (ops.replay(List.of(id), r.operator()) == 0) {
          throw new NotFoundException("No dead letter " + id + " (replayed or purged?)");
        }
        return Map.of("replayed", 1);
    }
  }

  /** {@code {"ids": [...]}} or {@code {"filter": {...}}}; an empty filter needs {@code "all"}. */
  private Object bulk(JsonNode body, String operator, boolean replay) {
    String verb = replay ? "replayed" : "purged";
    if (body.has("ids")) {
      List<String> ids = new ArrayList<>();
      body.get("ids").forEach(n -> ids.add(n.asText()));
      return Map.of(verb, replay ? ops.replay(ids, operator) : ops.purge(ids, operator));
    }
    JsonNode f = body.path("filter");
    DeadLetterFilter filter =
        filter(name -> f.hasNonNull(name) ? f.get(name).asText() : null, Integer.MAX_VALUE);
    if (filter.isEverything() && !body.path("all").asBoolean(false)) {
      throw new BadRequestException(
          "No ids and no filter: send \"all\": true to touch every dead letter");
    }
    return Map.of(verb, replay ? ops.replay(filter, operator) : ops.purge(filter, operator));
  }

  private Map<String, Object> session(Request r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", ops.bus().serviceName());
    m.put("operator", r.operator());
    m.put("csrfToken", csrf.token(r.session()));
    m.put("audit", ops.audit().location());
    m.put("drains", ops.drainNames());
    return m;
  }

  private Map<String, Object> gauges() {
    MessageBus bus = ops.bus();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store", Views.gauges(bus.storeGauges()));
    m.put("metrics", bus.metrics());
    m.put("status", Views.status(bus.status()));
    return m;
  }

  private static DeadLetterFilter filter(Function<String, String> param) {
    return filter(param, DEFAULT_LIMIT);
  }

  private static DeadLetterFilter filter(Function<String, String> param, int limit) {
    return DeadLetterFilter.from(param, limit);
  }

  /** A percent-encoded path segment, decoded; '+' stays a plus, as in paths. */
  private static String segment(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private JsonNode body(byte[] body) {
    if (body == null || body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode n = json.readTree(body);
      if (!(n instanceof ObjectNode)) {
        throw new BadRequestException("The request body must be a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new BadRequestException("The request body is not JSON: " + e.getMessage());
    }
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private Reply ok(Object value) {
    return reply(200, value);
  }

  private Reply error(int status, String message) {
    return reply(status, Map.of("error", message));
  }

  private Reply reply(int status, Object value) {
    try {
      return new Reply(status, JSON, json.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the reply", e);
    }
  }
}
