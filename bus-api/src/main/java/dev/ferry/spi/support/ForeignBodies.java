package dev.ferry.spi.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.Reasons;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * Keeps bodies the bus does not read as message bodies (a JMS map or stream message, an AMQP value
 * or sequence) in one defined JSON encoding, so that the dead letter such a message becomes loses
 * nothing a reader could see. A transport's reader puts the encoding in the envelope's body and
 * {@link #kind} in the header {@link Reasons#ORIGINAL_BODY_KIND_HEADER}; the pipeline then
 * dead-letters it with {@link Reasons#UNSUPPORTED_BODY}.
 *
 * <p>The encoding: strings, booleans and finite numbers as themselves; characters as one-character
 * strings; non-finite floating-point numbers as the strings {@code NaN}, {@code Infinity} and
 * {@code -Infinity}; byte arrays as {@code {"base64": "..."}}; maps as objects (keys by their
 * text); lists, other collections and arrays as arrays; any other value as {@code {"type": class
 * name, "text": its text}}.
 */
public final class ForeignBodies {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ForeignBodies() {}

  /** The header value naming a body of {@code kind} kept in this JSON encoding. */
  public static String kind(String kind) {
    return kind + "; json";
  }

  /** The JSON encoding of {@code value}, in UTF-8. */
  public static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(node(value));
    } catch (Exception e) {
      throw new IllegalStateException("A JSON tree could not be written", e);
    }
  }

  private static JsonNode node(Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof String s) {
      return NODES.textNode(s);
    }
    if (v instanceof Character c) {
      return NODES.textNode(c.toString());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? NODES.numberNode(new BigDecimal(v.toString())) : text(d);
    }
    if (v instanceof BigDecimal d) {
      return NODES.numberNode(d);
    }
    if (v instanceof BigInteger i) {
      return NODES.numberNode(i);
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return NODES.numberNode(((Number) v).longValue());
    }
    if (v instanceof byte[] bytes) {
      ObjectNode o = NODES.objectNode();
      o.put("base64", Base64.getEncoder().encodeToString(bytes));
      return o;
    }
    if (v instanceof Map<?, ?> map) {
      ObjectNode o = NODES.objectNode();
      map.forEach((k, value) -> o.set(String.valueOf(k), node(value)));
      return o;
    }
    if (v instanceof Collection<?> c) {
      ArrayNode a = NODES.arrayNode();
      c.forEach(x -> a.add(node(x)));
      return a;
    }
    if (v.getClass().isArray()) {
      ArrayNode a = NODES.arrayNode();
      for (int i = 0; i < Array.getLength(v); i++) {
        a.add(node(Array.get(v, i)));
      }
      return a;
    }
    ObjectNode o = NODES.objectNode();
    o.put("type", v.getClass().getName());
    o.put("text", v.toString());
    return o;
  }

  private static JsonNode text(double d) {
    return NODES.textNode(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
  }
}
