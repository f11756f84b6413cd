package dev.ferry.jms.internal;

import static dev.ferry.spi.support.WireNames.ATTEMPTS;
import static dev.ferry.spi.support.WireNames.CAUSATION_ID;
import static dev.ferry.spi.support.WireNames.CLOUDEVENTS_TRACE_PARENT;
import static dev.ferry.spi.support.WireNames.CLOUDEVENTS_TRACE_STATE;
import static dev.ferry.spi.support.WireNames.CONTENT_TYPE;
import static dev.ferry.spi.support.WireNames.CORRELATION_ID;
import static dev.ferry.spi.support.WireNames.DELIVER_BY;
import static dev.ferry.spi.support.WireNames.HEADER_PREFIX;
import static dev.ferry.spi.support.WireNames.ID;
import static dev.ferry.spi.support.WireNames.REPLY_TO;
import static dev.ferry.spi.support.WireNames.REPLY_TYPE;
import static dev.ferry.spi.support.WireNames.SCHEDULED_FOR;
import static dev.ferry.spi.support.WireNames.SOURCE;
import static dev.ferry.spi.support.WireNames.SPEC_VERSION;
import static dev.ferry.spi.support.WireNames.TENANT;
import static dev.ferry.spi.support.WireNames.TIME;
import static dev.ferry.spi.support.WireNames.TRACE_PARENT;
import static dev.ferry.spi.support.WireNames.TRACE_STATE;
import static dev.ferry.spi.support.WireNames.TYPE;
import static dev.ferry.spi.support.WireNames.headerName;
import static dev.ferry.spi.support.WireNames.headerProperty;

import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.Reasons;
import dev.ferry.spi.support.ForeignBodies;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageEOFException;
import jakarta.jms.ObjectMessage;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * The envelope on JMS, as {@code docs/wire-format.md} describes it: the properties {@link
 * dev.ferry.spi.support.WireNames} names, the type, correlation id and reply address also in the
 * JMS headers, and the body as a BytesMessage or TextMessage.
 */
public final class JmsWireFormat {
  private JmsWireFormat() {}

  /**
   * What can be read of a message whose headers are garbled: its id, type and body (of a
   * BytesMessage at most {@code maxBody} bytes).
   */
  public static Envelope bestEffort(Message m, int maxBody) {
    Envelope.Builder b = Envelope.builder();
    String id;
    try {
      id = m.getStringProperty(ID);
    } catch (JMSException | RuntimeException e) {
      id = null;
    }
    b.id(id != null ? id : providerIdOrNew(m));
    try {
      b.messageType(m.getStringProperty(TYPE));
      b.correlationId(m.getStringProperty(CORRELATION_ID));
    } catch (JMSException | RuntimeException e) {
      // leave them out
    }
    try {
      b.body(body(m, maxBody));
    } catch (JMSException | RuntimeException e) {
      // leave it out
    }
    return b.build();
  }

  /**
   * The id of a message without {@code cloudEvents_id}: the provider's JMSMessageID, or, when the
   * producer disabled message ids (or it cannot be read), a new unique id. Such a message cannot be
   * recognised when it is redelivered, but it is never taken for a duplicate of another one.
   */
  static String providerIdOrNew(Message m) {
    try {
      String providerId = m.getJMSMessageID();
      if (providerId != null && !providerId.isBlank()) {
        return providerId;
      }
    } catch (JMSException | RuntimeException e) {
      // fall through to a new id
    }
    return NO_ID_PREFIX + java.util.UUID.randomUUID();
  }

  /** How the ids given to messages that carry none begin. */
  public static final String NO_ID_PREFIX = "jms-no-id-";

  /** Builds the JMS message for an envelope. */
  public static Message toMessage(Session session, Envelope e, boolean text, Destination replyTo)
      throws JMSException {
    Message m;
    if (text) {
      m = session.createTextMessage(new String(e.body(), StandardCharsets.UTF_8));
    } else {
      BytesMessage b = session.createBytesMessage();
      b.writeBytes(e.body());
      m = b;
    }
    m.setStringProperty(SPEC_VERSION, "1.0");
    m.setStringProperty(ID, e.id());
    set(m, TYPE, e.messageType());
    set(m, SOURCE, e.source());
    set(m, TIME, e.sentAt());
    set(m, CONTENT_TYPE, e.contentType());
    set(m, CORRELATION_ID, e.correlationId());
    set(m, CAUSATION_ID, e.causationId());
    set(m, REPLY_TO, e.replyTo());
    set(m, REPLY_TYPE, e.replyType());
    set(m, DELIVER_BY, e.deliverBy());
    set(m, SCHEDULED_FOR, e.scheduledFor());
    if (e.attempts() > 0) {
      m.setIntProperty(ATTEMPTS, e.attempts());
    }
    set(m, TENANT, e.tenant());
    set(m, TRACE_PARENT, e.traceParent());
    set(m, TRACE_STATE, e.traceState());
    for (var h : e.headers().entrySet()) {
      m.setStringProperty(headerProperty(h.getKey()), h.getValue());
    }
    if (e.messageType() != null) {
      m.setJMSType(e.messageType());
    }
    if (e.correlationId() != null) {
      m.setJMSCorrelationID(e.correlationId());
    }
    if (replyTo != null) {
      m.setJMSReplyTo(replyTo);
    }
    return m;
  }

  /**
   * Reads an envelope. Missing fields stay null (the pipeline dead-letters what it cannot handle);
   * a foreign producer may rely on JMS headers (JMSType, JMSCorrelationID, JMSReplyTo) instead of
   * the properties.
   */
  public static Envelope fromMessage(Message m, String transport) throws JMSException {
    return read(m, transport, Integer.MAX_VALUE).envelope();
  }

  /**
   * A message read from the wire, whose body was over the receive limit if {@code oversizeBody} is
   * not -1: then the envelope carries the body's first {@code maxBody} bytes, and the body's size
   * in {@link Reasons#ORIGINAL_SIZE_HEADER}.
   */
  public record Read(Envelope envelope, long oversizeBody) {}

  /**
   * Reads an envelope as {@link #fromMessage} does, but copies at most {@code maxBody} bytes of the
   * body: a BytesMessage's length is checked before anything is allocated.
   */
  public static Read read(Message m, String transport, int maxBody) throws JMSException {
    Envelope.Builder b = headers(m, transport);
    String kind = bodyKind(m);
    if (kind != null) {
      b.header(Reasons.ORIGINAL_BODY_KIND_HEADER, kind);
    }
    long size = bodySize(m);
    if (size > maxBody) {
      b.header(Reasons.ORIGINAL_SIZE_HEADER, Long.toString(size));
      b.body(body(m, maxBody));
      return new Read(b.build(), size);
    }
    byte[] body = body(m, maxBody);
    if (body.length > maxBody) { // a TextMessage, whose size is known only once it is encoded
      b.header(Reasons.ORIGINAL_SIZE_HEADER, Integer.toString(body.length));
      b.body(Arrays.copyOf(body, maxBody));
      return new Read(b.build(), body.length);
    }
    b.body(body);
    return new Read(b.build(), -1);
  }

  /** A BytesMessage's body length; -1 when unknown before reading it. */
  private static long bodySize(Message m) throws JMSException {
    return m instanceof BytesMessage bm ? bm.getBodyLength() : -1;
  }

  private static Envelope.Builder headers(Message m, String transport) throws JMSException {
    Envelope.Builder b = Envelope.builder();
    String id = m.getStringProperty(ID);
    b.id(id != null ? id : providerIdOrNew(m));
    String type = m.getStringProperty(TYPE);
    b.messageType(type != null ? type : m.getJMSType());
    b.source(m.getStringProperty(SOURCE));
    b.sentAt(instant(TIME, m.getStringProperty(TIME), m.getJMSTimestamp()));
    b.contentType(m.getStringProperty(CONTENT_TYPE));
    String correlation = m.getStringProperty(CORRELATION_ID);
    b.correlationId(correlation != null ? correlation : m.getJMSCorrelationID());
    b.causationId(m.getStringProperty(CAUSATION_ID));
    String replyTo = m.getStringProperty(REPLY_TO);
    if (replyTo == null && m.getJMSReplyTo() != null) {
      replyTo = addressOf(m.getJMSReplyTo(), transport);
    }
    b.replyTo(replyTo);
    b.replyType(m.getStringProperty(REPLY_TYPE));
    b.deliverBy(instant(DELIVER_BY, m.getStringProperty(DELIVER_BY), 0));
    b.scheduledFor(instant(SCHEDULED_FOR, m.getStringProperty(SCHEDULED_FOR), 0));
    if (m.propertyExists(ATTEMPTS)) {
      try {
        b.attempts(m.getIntProperty(ATTEMPTS));
      } catch (JMSException | RuntimeException e) {
        throw new MalformedMessageException(
            ATTEMPTS + " is not an int: '" + m.getObjectProperty(ATTEMPTS) + "'");
      }
    }
    b.tenant(m.getStringProperty(TENANT));
    String traceParent = m.getStringProperty(TRACE_PARENT);
    b.traceParent(
        traceParent != null ? traceParent : m.getStringProperty(CLOUDEVENTS_TRACE_PARENT));
    String traceState = m.getStringProperty(TRACE_STATE);
    b.traceState(traceState != null ? traceState : m.getStringProperty(CLOUDEVENTS_TRACE_STATE));
    Enumeration<?> names = m.getPropertyNames();
    while (names.hasMoreElements()) {
      String name = String.valueOf(names.nextElement());
      // Only this reader writes what it found about the body it received: not a producer.
      if (name.startsWith(HEADER_PREFIX)
          && !headerName(name).startsWith(Reasons.READER_HEADER_PREFIX)) {
        b.header(headerName(name), String.valueOf(m.getObjectProperty(name)));
      }
    }
    return b;
  }

  /** The body; of a BytesMessage at most {@code maxBody} bytes, of a TextMessage all of it. */
  private static byte[] body(Message m, int maxBody) throws JMSException {
    if (m instanceof BytesMessage bm) {
      bm.reset();
      byte[] bytes = new byte[(int) Math.min(maxBody, bm.getBodyLength())];
      bm.readBytes(bytes);
      return bytes;
    }
    if (m instanceof TextMessage tm) {
      String t = tm.getText();
      return t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
    }
    if (m instanceof MapMessage mm) {
      Map<String, Object> entries = new LinkedHashMap<>();
      for (Enumeration<?> names = mm.getMapNames(); names.hasMoreElements(); ) {
        String name = String.valueOf(names.nextElement());
        entries.put(name, mm.getObject(name));
      }
      return ForeignBodies.json(entries);
    }
    if (m instanceof StreamMessage sm) {
      sm.reset();
      List<Object> items = new ArrayList<>();
      try {
        while (true) {
          items.add(sm.readObject());
        }
      } catch (MessageEOFException end) {
        return ForeignBodies.json(items);
      }
    }
    if (m instanceof ObjectMessage om) {
      return serializedObject(om);
    }
    return new byte[0]; // a plain Message carries no body
  }

  /**
   * What the body is, when it is not a message body the bus reads, and how {@link #body} keeps it;
   * null for bytes, text and no body.
   */
  private static String bodyKind(Message m) {
    if (m instanceof MapMessage) {
      return ForeignBodies.kind("jms-map");
    }
    if (m instanceof StreamMessage) {
      return ForeignBodies.kind("jms-stream");
    }
    if (m instanceof ObjectMessage) {
      return "jms-object; java-serialization";
    }
    return null;
  }

  /**
   * An object message's serialized bytes as they came, never deserialized (the bus does not run a
   * producer's Java deserialization). Artemis keeps them in the core message's body as a length and
   * the bytes.
   */
  private static byte[] serializedObject(ObjectMessage om) throws JMSException {
    if (!(om instanceof ActiveMQMessage artemis)) {
      throw new JMSException(
          "An ObjectMessage of " + om.getClass().getName() + " cannot be kept undeserialized");
    }
    ActiveMQBuffer buffer = artemis.getCoreMessage().getReadOnlyBodyBuffer();
    if (buffer.readableBytes() < Integer.BYTES) {
      return new byte[0];
    }
    byte[] bytes = new byte[buffer.readInt()];
    buffer.readBytes(bytes);
    return bytes;
  }

  private static String addressOf(Destination d, String transport) throws JMSException {
    if (d instanceof Queue q) {
      return transport + ":queue:" + q.getQueueName();
    }
    if (d instanceof Topic t) {
      return transport + ":topic:" + t.getTopicName();
    }
    return null;
  }

  private static void set(Message m, String name, Object value) throws JMSException {
    if (value != null) {
      m.setStringProperty(name, value.toString());
    }
  }

  private static Instant instant(String name, String text, long fallbackMillis) {
    if (text != null) {
      try {
        Instant fast = parseUtc(text);
        return fast != null ? fast : Instant.parse(text);
      } catch (RuntimeException e) {
        throw new MalformedMessageException(name + " is not an ISO-8601 instant: '" + text + "'");
      }
    }
    return fallbackMillis > 0 ? Instant.ofEpochMilli(fallbackMillis) : null;
  }

  /**
   * {@code Instant.toString()}'s own form ({@code 2026-11-21T07:59:38.123456Z}, with 0, 3, 6 or 9
   * fraction digits) read without the general ISO parser, which a profile of the receiving side
   * showed among its costliest steps (three instants per message); null for anything else, which
   * {@link Instant#parse} then reads or rejects.
   */
  static Instant parseUtc(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(n - 1) != 'Z'
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int fraction = n - 20; // '.' and its digits
    if (fraction != 0 && fraction != 4 && fraction != 7 && fraction != 10) {
      return null;
    }
    if (fraction != 0 && t.charAt(19) != '.') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int nanos = 0;
    if (fraction != 0) {
      nanos = digits(t, 20, n - 1);
      for (int i = fraction - 1; i < 9 && nanos > 0; i++) {
        nanos *= 10; // 3 or 6 digits are milli- or microseconds
      }
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 31
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || nanos < 0) {
      return null;
    }
    try {
      long days = java.time.LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    } catch (java.time.DateTimeException e) {
      return null; // e.g. February 30th: Instant.parse reports it
    }
  }

  /** The decimal number in {@code t[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
