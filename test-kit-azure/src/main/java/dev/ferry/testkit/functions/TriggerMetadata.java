package dev.ferry.testkit.functions;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trigger metadata the Functions host binds to {@code @BindingName} parameters, built from a
 * message the SDK received, with the host's conventions: {@code DeliveryCount} is 1-based (the
 * host's .NET SDK counts this delivery; the Java SDK does not); {@code ApplicationProperties} went
 * through JSON, so every number is a double; times are .NET round-trip text with seven fractional
 * digits. Batches ({@code cardinality = MANY}) get the {@code ...Array} forms.
 */
public final class TriggerMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DOTNET_ROUND_TRIP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'");

  private TriggerMetadata() {}

  /** The metadata of one message, by binding name. */
  public static Map<String, Object> of(ServiceBusReceivedMessage m) {
    Map<String, Object> md = new HashMap<>();
    md.put("MessageId", m.getMessageId());
    md.put("DeliveryCount", (int) (m.getDeliveryCount() + 1));
    md.put("CorrelationId", m.getCorrelationId());
    md.put("ContentType", m.getContentType());
    md.put("Subject", m.getSubject());
    md.put("Label", m.getSubject());
    md.put("ReplyTo", m.getReplyTo());
    md.put("To", m.getTo());
    md.put("SessionId", m.getSessionId());
    md.put("SequenceNumber", m.getSequenceNumber());
    md.put("LockToken", m.getLockToken());
    md.put("EnqueuedTimeUtc", time(m.getEnqueuedTime()));
    md.put("ExpiresAtUtc", time(m.getExpiresAt()));
    Map<String, Object> properties = throughJson(m.getApplicationProperties());
    md.put("ApplicationProperties", properties);
    md.put("UserProperties", properties);
    return md;
  }

  /** The metadata of a batch: each name with {@code Array} appended, one element per message. */
  public static Map<String, Object> ofBatch(List<ServiceBusReceivedMessage> messages) {
    Map<String, Object> md = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      for (Map.Entry<String, Object> e : of(messages.get(i)).entrySet()) {
        @SuppressWarnings("unchecked")
        List<Object> values =
            (List<Object>)
                md.computeIfAbsent(e.getKey() + "Array", k -> new java.util.ArrayList<>());
        values.add(e.getValue());
      }
    }
    return md;
  }

  /** A value bound to a parameter of type {@code type}, as the worker converts it. */
  static Object convert(Object value, Class<?> type) {
    if (value instanceof List<?> list && type.isArray()) {
      Object array = Array.newInstance(type.getComponentType(), list.size());
      for (int i = 0; i < list.size(); i++) {
        Array.set(array, i, convert(list.get(i), type.getComponentType()));
      }
      return array;
    }
    if (value == null) {
      if (type == int.class) {
        return 0;
      }
      if (type == long.class) {
        return 0L;
      }
      return null;
    }
    if ((type == int.class || type == Integer.class) && value instanceof Number n) {
      return n.intValue();
    }
    if ((type == long.class || type == Long.class) && value instanceof Number n) {
      return n.longValue();
    }
    if (type == String.class) {
      return value.toString();
    }
    return value;
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : DOTNET_ROUND_TRIP.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }

  private static Map<String, Object> throughJson(Map<String, Object> properties) {
    Map<String, Object> plain = new LinkedHashMap<>();
    properties.forEach(
        (k, v) -> plain.put(k, v instanceof java.util.Date d ? d.toInstant().toString() : v));
    try {
      Map<String, Object> read =
          JSON.readValue(
              JSON.writeValueAsBytes(plain), new TypeReference<Map<String, Object>>() {});
      read.replaceAll((k, v) -> v instanceof Number n ? (Object) n.doubleValue() : v);
      return read;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
