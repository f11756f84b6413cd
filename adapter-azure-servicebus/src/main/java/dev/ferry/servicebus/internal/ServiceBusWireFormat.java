package dev.ferry.servicebus.internal;

import com.azure.core.amqp.models.AmqpAnnotatedMessage;
import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.amqp.models.AmqpMessageBodyType;
import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import dev.ferry.DeadLetters;
import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.servicebus.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;

/**
 * The envelope on Service Bus, as {@code docs/wire-format.md} describes it: id, type, content type,
 * correlation id, reply-to, time to live, scheduled enqueue time and session id in the native
 * message properties; the other CloudEvents attributes and Ferry's extensions as {@code
 * cloudEvents_*} application properties (the JMS binding's names, so both transports read alike);
 * W3C trace context as {@code traceparent}/{@code tracestate}, as the Azure SDK's own tracing
 * writes them; user headers as {@code ferryh_<name>} with the name unchanged.
 */
public final class ServiceBusWireFormat {
  private ServiceBusWireFormat() {}

  public static final String SPEC_VERSION = "cloudEvents_specversion";

  /** The envelope id, written only when the broker's MessageId differs (retry copies). */
  public static final String ID = "cloudEvents_id";

  public static final String SOURCE = "cloudEvents_source";
  public static final String TIME = "cloudEvents_time";
  public static final String CAUSATION_ID = "cloudEvents_causationid";
  public static final String REPLY_TYPE = "cloudEvents_replytype";
  public static final String DELIVER_BY = "cloudEvents_deliverby";
  public static final String ATTEMPTS = "cloudEvents_attempts";
  public static final String TENANT = "cloudEvents_tenant";

  /**
   * The broker delivery count (0-based, as the Java SDK shows it) at which {@link #ATTEMPTS} was
   * last written by an abandon; deliveries are counted afresh from there.
   */
  public static final String DELIVERY_BASE = "cloudEvents_ferrydeliverybase";

  /** Set on copies meant for one subscription of a topic (retries, replays). */
  public static final String TARGET = "cloudEvents_ferrytarget";

  public static final String TRACE_PARENT = "traceparent";
  public static final String TRACE_STATE = "tracestate";

  /** The Azure SDK's older name for the trace parent; read when {@code traceparent} is absent. */
  public static final String DIAGNOSTIC_ID = "Diagnostic-Id";

  public static final String HEADER_PREFIX = "ferryh_";

  /** The user header whose value becomes the SessionId, and which received session ids fill. */
  public static final String GROUP_HEADER = "ferry-group";

  /** Service Bus refuses longer message ids. */
  static final int MAX_ID_LENGTH = 128;

  /**
   * Builds the message for an envelope.
   *
   * @param defaultSessionId the SessionId to use when the envelope has no group header (for
   *     entities that require sessions), or null
   * @param target the subscription this copy is meant for, or null
   */
  public static ServiceBusMessage toMessage(
      Envelope e, String defaultSessionId, String target, Instant now) {
    ServiceBusMessage m = new ServiceBusMessage(BinaryData.fromBytes(e.body()));
    String messageId = brokerMessageId(e);
    m.setMessageId(messageId);
    Map<String, Object> p = m.getApplicationProperties();
    p.put(SPEC_VERSION, "1.0");
    if (!messageId.equals(e.id())) {
      p.put(ID, e.id());
    }
    if (e.messageType() != null) {
      m.setSubject(e.messageType());
    }
    if (e.contentType() != null) {
      m.setContentType(e.contentType());
    }
    if (e.correlationId() != null) {
      m.setCorrelationId(e.correlationId());
    }
    if (e.replyTo() != null) {
      m.setReplyTo(e.replyTo());
    }
    Instant enqueueAt = now;
    if (e.scheduledFor() != null && e.scheduledFor().isAfter(now)) {
      m.setScheduledEnqueueTime(e.scheduledFor().atOffset(ZoneOffset.UTC));
      enqueueAt = e.scheduledFor();
    }
    if (e.deliverBy() != null) {
      // Service Bus counts the time to live from the (scheduled) enqueue time.
      Duration ttl = Duration.between(enqueueAt, e.deliverBy());
      m.setTimeToLive(ttl.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : ttl);
      p.put(DELIVER_BY, e.deliverBy().toString());
    }
    String group = e.headers().get(GROUP_HEADER);
    if (group == null) {
      group = defaultSessionId;
    }
    if (group != null) {
      m.setSessionId(group);
    }
    put(p, SOURCE, e.source());
    put(p, TIME, e.sentAt());
    put(p, CAUSATION_ID, e.causationId());
    put(p, REPLY_TYPE, e.replyType());
    if (e.attempts() > 0) {
      p.put(ATTEMPTS, e.attempts());
    }
    put(p, TENANT, e.tenant());
    put(p, TRACE_PARENT, e.traceParent());
    put(p, TRACE_STATE, e.traceState());
    for (var h : e.headers().entrySet()) {
      p.put(HEADER_PREFIX + h.getKey(), h.getValue());
    }
    if (target != null) {
      p.put(TARGET, target);
    }
    return m;
  }

  /**
   * The broker's MessageId: the envelope id, except for a copy carrying failed attempts (a retry)
   * or a replay marker, which gets its own so that an entity with duplicate detection does not drop
   * it as a duplicate of the original; the envelope id then travels in {@link #ID}.
   */
  static String brokerMessageId(Envelope e) {
    String id = e.id();
    String replay = e.headers().get(DeadLetters.REPLAY_HEADER);
    if (replay != null) {
      id += "~r" + replay;
    }
    if (e.attempts() > 0) {
      id += "~" + e.attempts();
    }
    if (id.length() <= MAX_ID_LENGTH) {
      return id;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
    }
  }

  /**
   * Reads an envelope. Missing fields stay null (the pipeline dead-letters what it cannot handle):
   * a foreign producer that sets only the Subject and a body is understood. Throws {@link
   * MalformedMessageException} for a property whose value cannot be read.
   */
  public static Envelope fromMessage(ServiceBusReceivedMessage m) {
    return read(
        m.getApplicationProperties(),
        id(m),
        m.getSubject(),
        m.getContentType(),
        m.getCorrelationId(),
        m.getReplyTo(),
        toInstant(m.getEnqueuedTime()),
        toInstant(m.getScheduledEnqueueTime()),
        m.getSessionId(),
        body(m.getRawAmqpMessage()));
  }

  /**
   * Reads an envelope from a message a host received (Azure Functions passes its fields as trigger
   * metadata), with the same rules as {@link #fromMessage}.
   */
  public static Envelope fromReceived(ReceivedMessage m) {
    Map<String, Object> p = m.applicationProperties();
    String carried = string(p, ID);
    String id;
    if (carried != null) {
      id = carried;
    } else if (m.messageId() != null && !m.messageId().isEmpty()) {
      id = m.messageId();
    } else if (m.sequenceNumber() > 0) {
      id = "servicebus-sequence-" + m.sequenceNumber();
    } else {
      // Two such messages would share one id, and the inbox would drop the second.
      throw new MalformedMessageException(
          "the message has no MessageId, and no SequenceNumber was given to tell it apart");
    }
    return read(
        p,
        id,
        m.subject(),
        m.contentType(),
        m.correlationId(),
        m.replyTo(),
        m.enqueuedTime(),
        null,
        m.sessionId(),
        m.body());
  }

  /** What can be read of a received message whose properties are garbled. */
  public static Envelope bestEffort(ReceivedMessage m) {
    String id = m.messageId();
    if (id == null || id.isEmpty()) {
      id =
          m.sequenceNumber() > 0
              ? "servicebus-sequence-" + m.sequenceNumber()
              : "servicebus-unidentified-" + java.util.UUID.randomUUID();
    }
    return Envelope.builder()
        .id(id)
        .messageType(m.subject())
        .correlationId(m.correlationId())
        .contentType(m.contentType())
        .body(m.body())
        .build();
  }

  private static Envelope read(
      Map<String, Object> p,
      String id,
      String subject,
      String contentType,
      String correlationId,
      String replyTo,
      Instant enqueued,
      Instant scheduled,
      String sessionId,
      byte[] body) {
    Envelope.Builder b = Envelope.builder();
    b.id(id);
    b.messageType(subject);
    b.contentType(contentType);
    b.correlationId(correlationId);
    b.replyTo(replyTo);
    b.source(string(p, SOURCE));
    Instant sent = instant(p, TIME);
    b.sentAt(sent != null ? sent : enqueued);
    b.causationId(string(p, CAUSATION_ID));
    b.replyType(string(p, REPLY_TYPE));
    b.deliverBy(instant(p, DELIVER_BY));
    b.scheduledFor(scheduled);
    b.attempts(integer(p, ATTEMPTS));
    b.tenant(string(p, TENANT));
    String traceParent = string(p, TRACE_PARENT);
    b.traceParent(traceParent != null ? traceParent : string(p, DIAGNOSTIC_ID));
    b.traceState(string(p, TRACE_STATE));
    for (var entry : p.entrySet()) {
      if (entry.getKey().startsWith(HEADER_PREFIX) && entry.getValue() != null) {
        b.header(
            entry.getKey().substring(HEADER_PREFIX.length()),
            text(entry.getKey(), entry.getValue()));
      }
    }
    if (sessionId != null && !p.containsKey(HEADER_PREFIX + GROUP_HEADER)) {
      b.header(GROUP_HEADER, sessionId);
    }
    b.body(body);
    return b.build();
  }

  /** What can be read of a message whose properties are garbled: its id, type and body. */
  public static Envelope bestEffort(ServiceBusReceivedMessage m) {
    Envelope.Builder b = Envelope.builder().id(safeId(m));
    try {
      b.messageType(m.getSubject()).correlationId(m.getCorrelationId());
      b.contentType(m.getContentType());
      b.body(body(m.getRawAmqpMessage()));
    } catch (RuntimeException e) {
      // leave out what cannot be read
    }
    return b.build();
  }

  /** Deliveries of this copy so far, 1-based, counted from the last abandon that set attempts. */
  public static int deliveryCount(ServiceBusReceivedMessage m) {
    return deliveryCount(m.getDeliveryCount() + 1, m.getApplicationProperties());
  }

  /**
   * Deliveries so far, 1-based, from the broker's count of deliveries including this one (the count
   * the Functions host passes) and the properties carrying {@link #DELIVERY_BASE}.
   */
  public static int deliveryCount(long deliveriesIncludingThis, Map<String, Object> properties) {
    long raw = deliveriesIncludingThis;
    Object base = properties.get(DELIVERY_BASE);
    if (base instanceof Number n) {
      raw -= n.longValue();
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, raw));
  }

  /** The subscription a targeted copy is meant for, or null for a broadcast. */
  public static String target(ServiceBusReceivedMessage m) {
    return target(m.getApplicationProperties());
  }

  /** The subscription a targeted copy is meant for, or null for a broadcast. */
  public static String target(Map<String, Object> properties) {
    Object t = properties.get(TARGET);
    return t == null ? null : t.toString();
  }

  private static String id(ServiceBusReceivedMessage m) {
    String carried = string(m.getApplicationProperties(), ID);
    if (carried != null) {
      return carried;
    }
    return m.getMessageId() != null && !m.getMessageId().isEmpty()
        ? m.getMessageId()
        : "servicebus-sequence-" + m.getSequenceNumber();
  }

  private static String safeId(ServiceBusReceivedMessage m) {
    try {
      return id(m);
    } catch (RuntimeException e) {
      return "servicebus-sequence-" + m.getSequenceNumber();
    }
  }

  /** A Data body as sent by the SDKs; a string or binary AmqpValue from other AMQP clients. */
  static byte[] body(AmqpAnnotatedMessage raw) {
    AmqpMessageBody body = raw.getBody();
    if (body.getBodyType() == AmqpMessageBodyType.DATA) {
      byte[] data = body.getFirstData();
      return data == null ? new byte[0] : data;
    }
    if (body.getBodyType() == AmqpMessageBodyType.VALUE) {
      Object value = body.getValue();
      if (value instanceof String s) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
      if (value instanceof byte[] bytes) {
        return bytes;
      }
      if (value == null) {
        return new byte[0];
      }
    }
    throw new MalformedMessageException(
        "unsupported AMQP body: " + body.getBodyType() + " (send a Data section or a string)");
  }

  private static void put(Map<String, Object> p, String name, Object value) {
    if (value != null) {
      p.put(name, value.toString());
    }
  }

  private static String string(Map<String, Object> p, String name) {
    Object v = p.get(name);
    return v == null ? null : text(name, v);
  }

  private static String text(String name, Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Character) {
      return v.toString();
    }
    if (v instanceof java.util.UUID) {
      return v.toString();
    }
    throw new MalformedMessageException(
        name + " holds a " + v.getClass().getSimpleName() + ", not text: '" + v + "'");
  }

  private static int integer(Map<String, Object> p, String name) {
    Object v = p.get(name);
    if (v == null) {
      return 0;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      long n = ((Number) v).longValue();
      if (n >= 0 && n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    } else if ((v instanceof Double || v instanceof Float)
        && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())) {
      // Hosts that pass properties through JSON (Azure Functions) turn every number into a double.
      double n = ((Number) v).doubleValue();
      if (n >= 0 && n <= Integer.MAX_VALUE) {
        return (int) n;
      }
    } else if (v instanceof String s && s.trim().matches("\\d{1,9}")) {
      return Integer.parseInt(s.trim());
    }
    throw new MalformedMessageException(name + " is not a non-negative int: '" + v + "'");
  }

  private static Instant instant(Map<String, Object> p, String name) {
    Object v = p.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Date d) {
      return d.toInstant();
    }
    if (v instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (v instanceof Instant i) {
      return i;
    }
    try {
      return Instant.parse(v.toString());
    } catch (DateTimeParseException e) {
      throw new MalformedMessageException(name + " is not an ISO-8601 instant: '" + v + "'");
    }
  }

  private static Instant toInstant(OffsetDateTime t) {
    return t == null || t.toInstant().equals(Instant.EPOCH) ? null : t.toInstant();
  }
}
