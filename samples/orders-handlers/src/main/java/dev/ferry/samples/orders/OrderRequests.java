package dev.ferry.samples.orders;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Reads an order request and says precisely what is wrong with a bad one, so that an HTTP host can
 * answer 400 with the message before anything is written or published.
 */
public final class OrderRequests {
  /** Lines per order at most. */
  public static final int MAX_LINES = 100;

  /** Articles per line at most. */
  public static final int MAX_QUANTITY = 1000;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .build();

  private OrderRequests() {}

  /**
   * Parses and checks an order.
   *
   * @throws InvalidOrderException naming the field or the position of the problem
   */
  public static NewOrder parse(String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidOrderException(
          "The order is empty: send a JSON object with customer, email and lines");
    }
    NewOrder order;
    try {
      order = JSON.readValue(json, NewOrder.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidOrderException(
          "Invalid order: unknown field '"
              + path(e)
              + "' (an order has customer, email and lines; a line has sku, quantity and"
              + " unitPrice)",
          e);
    } catch (MismatchedInputException e) {
      String where = path(e);
      if (where.isEmpty()) {
        throw new InvalidOrderException(
            "Invalid order: expected a JSON object with customer, email and lines", e);
      }
      String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
      throw new InvalidOrderException("Invalid order: '" + where + "' must be " + expected, e);
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof JsonProcessingException syntax
          && !(syntax instanceof JsonMappingException)) {
        throw malformed(syntax); // a syntax error inside a value being bound
      }
      throw new InvalidOrderException(
          "Invalid order at '" + path(e) + "': " + clean(e.getOriginalMessage()), e);
    } catch (JsonProcessingException e) {
      throw malformed(e);
    }
    if (order == null) {
      throw new InvalidOrderException(
          "The order is empty: send a JSON object with customer, email and lines");
    }
    check(order);
    return order;
  }

  /** The rules an order must follow, whatever it was read from. */
  public static void check(NewOrder order) {
    if (order.customer() == null || order.customer().isBlank()) {
      throw new InvalidOrderException("Invalid order: 'customer' is required");
    }
    if (order.email() == null || !order.email().matches("[^@\\s]+@[^@\\s]+")) {
      throw new InvalidOrderException(
          "Invalid order: 'email' must be an e-mail address, was "
              + (order.email() == null ? "missing" : "'" + order.email() + "'"));
    }
    if (order.lines().isEmpty()) {
      throw new InvalidOrderException("Invalid order: 'lines' needs at least one line");
    }
    if (order.lines().size() > MAX_LINES) {
      throw new InvalidOrderException(
          "Invalid order: 'lines' has " + order.lines().size() + " lines, at most " + MAX_LINES);
    }
    for (int i = 0; i < order.lines().size(); i++) {
      OrderLine line = order.lines().get(i);
      String at = "lines[" + i + "]";
      if (line == null) {
        throw new InvalidOrderException("Invalid order: '" + at + "' is null");
      }
      if (line.sku() == null || line.sku().isBlank()) {
        throw new InvalidOrderException("Invalid order: '" + at + ".sku' is required");
      }
      if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
        throw new InvalidOrderException(
            "Invalid order: '"
                + at
                + ".quantity' must be between 1 and "
                + MAX_QUANTITY
                + ", was "
                + line.quantity());
      }
      if (line.unitPrice() == null || line.unitPrice().compareTo(BigDecimal.ZERO) < 0) {
        throw new InvalidOrderException(
            "Invalid order: '" + at + ".unitPrice' must be a number of at least 0");
      }
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String typeName(Class<?> type) {
    if (type == int.class || type == Integer.class) {
      return "a whole number";
    }
    if (type == BigDecimal.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.List.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "a JSON object (" + type.getSimpleName().toLowerCase(Locale.ROOT) + ")";
  }

  private static InvalidOrderException malformed(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String position =
        at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new InvalidOrderException(
        "Malformed order JSON" + position + ": " + clean(e.getOriginalMessage()), e);
  }

  /** The parser's message without its source excerpt or second line. */
  private static String clean(String message) {
    if (message == null) {
      return "unreadable";
    }
    String m = message;
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    int marker = m.indexOf(" (start marker at");
    return marker < 0 ? m : m.substring(0, marker);
  }
}
