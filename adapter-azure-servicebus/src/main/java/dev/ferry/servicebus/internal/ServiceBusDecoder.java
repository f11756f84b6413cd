package dev.ferry.servicebus.internal;

import static dev.ferry.servicebus.internal.ServiceBusWireFormat.DELIVERY_BASE;
import static dev.ferry.servicebus.internal.ServiceBusWireFormat.DIAGNOSTIC_ID;
import static dev.ferry.servicebus.internal.ServiceBusWireFormat.GROUP_HEADER;
import static dev.ferry.spi.support.WireNames.ATTEMPTS;
import static dev.ferry.spi.support.WireNames.CAUSATION_ID;
import static dev.ferry.spi.support.WireNames.DELIVER_BY;
import static dev.ferry.spi.support.WireNames.HEADER_PREFIX;
import static dev.ferry.spi.support.WireNames.ID;
import static dev.ferry.spi.support.WireNames.REPLY_TYPE;
import static dev.ferry.spi.support.WireNames.SOURCE;
import static dev.ferry.spi.support.WireNames.TARGET;
import static dev.ferry.spi.support.WireNames.TENANT;
import static dev.ferry.spi.support.WireNames.TIME;
import static dev.ferry.spi.support.WireNames.TRACE_PARENT;
import static dev.ferry.spi.support.WireNames.TRACE_STATE;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.amqp.models.AmqpMessageBodyType;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.Reasons;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.support.WireNames;
import java.nio.BufferOverflowException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/**
 * The one reader of received Service Bus messages, for Ferry's listener, the Functions trigger and
 * the dead-letter drain alike ({@code docs/wire-format.md}): one id rule, one body rule, one
 * receive size limit, one rule for copies meant for another subscription.
 *
 * <p><b>Id</b>: the envelope id a retry copy carries ({@code cloudEvents_id}), else the MessageId,
 * else {@code servicebus-sequence-<SequenceNumber>} (unique in the entity, and the same on every
 * delivery, so two messages without an id stay two in the inbox and a redelivery stays a
 * duplicate). A message with none of them cannot be told apart from another: it is malformed.
 *
 * <p><b>Body</b>: a Data section as it is; an AmqpValue holding a string (UTF-8) or binary as those
 * bytes. Any other AmqpValue, and an AmqpSequence, is not a body Ferry reads, but its content is
 * never lost: the envelope's body is the AMQP 1.0 encoding of the body section as received
 * (descriptor included), and header {@link Reasons#ORIGINAL_BODY_KIND_HEADER} says which section it
 * was ({@value #AMQP_VALUE} or {@value #AMQP_SEQUENCE}), so the pipeline dead-letters it with
 * {@link Reasons#UNSUPPORTED_BODY} and that body, and never handles it. {@link
 * ServiceBusWireFormat#toMessage} sends such a body back as the section it was, so that a replay
 * restores the original.
 *
 * <p><b>Size</b>: a body over the receive limit ({@code ferry.servicebus.max-body-size}) is an
 * {@linkplain Delivery#oversize oversize} delivery: the envelope keeps the body's first bytes up to
 * the limit and its size in {@link Reasons#ORIGINAL_SIZE_HEADER}, and it is dead-lettered with
 * {@link Reasons#TOO_LARGE}.
 */
public final class ServiceBusDecoder {

  /**
   * {@link Reasons#ORIGINAL_BODY_KIND_HEADER} of an AmqpValue body section (other than a string or
   * binary).
   */
  public static final String AMQP_VALUE = "amqp-value; amqp";

  /** {@link Reasons#ORIGINAL_BODY_KIND_HEADER} of an AmqpSequence body section. */
  public static final String AMQP_SEQUENCE = "amqp-sequence; amqp";

  private final Address source;
  private final int maxBodySize;

  /**
   * @param source where the messages are received, a queue or a subscription
   * @param maxBodySize the receive limit in bytes
   */
  public ServiceBusDecoder(Address source, int maxBodySize) {
    if (maxBodySize < 1) {
      throw new IllegalArgumentException("the receive limit must be >= 1 byte: " + maxBodySize);
    }
    this.source = source;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Whether the message is a copy (a retry or a replay) meant for another subscription of the
   * topic: without a filter rule on the subscription every subscriber gets it, and all but the one
   * it names complete it unhandled.
   */
  public boolean isForAnotherSubscription(InboundMessage m) {
    if (source.kind() != Address.Kind.SUBSCRIPTION) {
      return false;
    }
    String target;
    try {
      target = target(m.applicationProperties());
    } catch (RuntimeException e) {
      return false;
    }
    return target != null && !target.equalsIgnoreCase(source.subscription());
  }

  /** The message as a delivery; never throws (what cannot be read makes it malformed). */
  public Delivery decode(InboundMessage m) {
    int count = deliveryCount(m.deliveryCount(), m.applicationProperties());
    Body body = Body.of(m.body());
    Envelope envelope;
    try {
      envelope = envelope(m, body);
    } catch (RuntimeException e) {
      // Garbled properties: keep what identifies it; the pipeline dead-letters it with the reason.
      return new Delivery(
          limited(bestEffort(m, body)), source, count, String.valueOf(e.getMessage()));
    }
    if (body.bytes().length > maxBodySize) {
      Envelope truncated =
          limited(
              envelope.toBuilder()
                  .header(Reasons.ORIGINAL_SIZE_HEADER, Integer.toString(body.bytes().length))
                  .build());
      return Delivery.oversize(truncated, source, count, body.bytes().length);
    }
    return new Delivery(envelope, source, count);
  }

  /** Cuts a body over the limit to its first bytes. */
  private Envelope limited(Envelope e) {
    byte[] b = e.body();
    return b == null || b.length <= maxBodySize
        ? e
        : e.toBuilder().body(Arrays.copyOf(b, maxBodySize)).build();
  }

  /**
   * The whole envelope, without a size limit (for the dead-letter drain and the host's {@code
   * ReceivedMessage}).
   *
   * @throws MalformedMessageException when a property holds a value that cannot be read, or the
   *     message has no id, MessageId or SequenceNumber
   */
  public static Envelope envelope(InboundMessage m) {
    return envelope(m, Body.of(m.body()));
  }

  /** What can be read of a message whose properties are garbled: its id, type and body. */
  public static Envelope bestEffort(InboundMessage m) {
    return bestEffort(m, Body.of(m.body()));
  }

  private static Envelope envelope(InboundMessage m, Body body) {
    Map<String, Object> p = m.applicationProperties();
    Envelope.Builder b = Envelope.builder();
    b.id(id(m, string(p, ID)));
    b.messageType(m.subject());
    b.contentType(m.contentType());
    b.correlationId(m.correlationId());
    b.replyTo(m.replyTo());
    b.source(string(p, SOURCE));
    Instant sent = instant(p, TIME);
    b.sentAt(sent != null ? sent : m.enqueuedTime());
    b.causationId(string(p, CAUSATION_ID));
    b.replyType(string(p, REPLY_TYPE));
    b.deliverBy(instant(p, DELIVER_BY));
    b.scheduledFor(m.scheduledEnqueueTime());
    b.attempts(integer(p, ATTEMPTS));
    b.tenant(string(p, TENANT));
    String traceParent = string(p, TRACE_PARENT);
    if (traceParent == null) {
      traceParent = string(p, WireNames.CLOUDEVENTS_TRACE_PARENT);
    }
    b.traceParent(traceParent != null ? traceParent : string(p, DIAGNOSTIC_ID));
    String traceState = string(p, TRACE_STATE);
    b.traceState(traceState != null ? traceState : string(p, WireNames.CLOUDEVENTS_TRACE_STATE));
    for (var entry : p.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(HEADER_PREFIX) && entry.getValue() != null) {
        String name = key.substring(HEADER_PREFIX.length());
        if (!writtenByTheReader(name)) {
          b.header(name, text(key, entry.getValue()));
        }
      }
    }
    if (m.sessionId() != null && !p.containsKey(HEADER_PREFIX + GROUP_HEADER)) {
      b.header(GROUP_HEADER, m.sessionId());
    }
    body.into(b);
    return b.build();
  }

  private static Envelope bestEffort(InboundMessage m, Body body) {
    String carried;
    try {
      carried = string(m.applicationProperties(), ID);
    } catch (RuntimeException e) {
      carried = null;
    }
    String id;
    try {
      id = id(m, carried);
    } catch (MalformedMessageException e) {
      // Nothing tells it apart: a dead letter of its own rather than one shared with another.
      id = "servicebus-unidentified-" + UUID.randomUUID();
    }
    Envelope.Builder b =
        Envelope.builder()
            .id(id)
            .messageType(m.subject())
            .correlationId(m.correlationId())
            .contentType(m.contentType());
    body.into(b);
    return b.build();
  }

  /** The one id rule; see the class description. */
  private static String id(InboundMessage m, String carried) {
    if (carried != null && !carried.isEmpty()) {
      return carried;
    }
    if (m.messageId() != null && !m.messageId().isEmpty()) {
      return m.messageId();
    }
    if (m.sequenceNumber() > 0) {
      return "servicebus-sequence-" + m.sequenceNumber();
    }
    // Two such messages would share one id, and the inbox would drop the second.
    throw new MalformedMessageException(
        "the message has no MessageId, and no SequenceNumber was given to tell it apart");
  }

  /** Headers only this reader writes, for what it found: a producer's are not taken. */
  private static boolean writtenByTheReader(String header) {
    return header.startsWith(Reasons.READER_HEADER_PREFIX);
  }

  /**
   * Deliveries so far, 1-based, from the broker's count of deliveries including this one and the
   * properties carrying {@link ServiceBusWireFormat#DELIVERY_BASE}.
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
  public static String target(Map<String, Object> properties) {
    Object t = properties.get(TARGET);
    return t == null ? null : t.toString();
  }

  /**
   * A body as bytes, and which AMQP section it was when Ferry does not read that section (null for
   * Data and for a string or binary AmqpValue).
   */
  private record Body(byte[] bytes, String section) {

    static Body of(AmqpMessageBody body) {
      AmqpMessageBodyType type = body.getBodyType();
      if (type == AmqpMessageBodyType.DATA) {
        byte[] data = body.getFirstData();
        return new Body(data == null ? new byte[0] : data, null);
      }
      if (type == AmqpMessageBodyType.VALUE) {
        Object value = body.getValue();
        if (value instanceof String s) {
          return new Body(s.getBytes(StandardCharsets.UTF_8), null);
        }
        if (value instanceof byte[] bytes) {
          return new Body(bytes, null);
        }
        if (value instanceof org.apache.qpid.proton.amqp.Binary binary) {
          return new Body(
              Arrays.copyOfRange(
                  binary.getArray(),
                  binary.getArrayOffset(),
                  binary.getArrayOffset() + binary.getLength()),
              null);
        }
        if (value == null) {
          return new Body(new byte[0], null);
        }
        return new Body(encode(new AmqpValue(value)), AMQP_VALUE);
      }
      if (type == AmqpMessageBodyType.SEQUENCE) {
        return new Body(encode(new AmqpSequence(body.getSequence())), AMQP_SEQUENCE);
      }
      throw new IllegalStateException("unknown AMQP body type " + type);
    }

    void into(Envelope.Builder b) {
      b.body(bytes);
      if (section != null) {
        b.header(Reasons.ORIGINAL_BODY_KIND_HEADER, section);
      }
    }

    /** The AMQP 1.0 encoding of a body section: what a decoder of a message's sections reads. */
    private static byte[] encode(org.apache.qpid.proton.amqp.messaging.Section section) {
      Message message = Message.Factory.create();
      message.setBody(section);
      for (int size = 1024; ; size *= 2) {
        byte[] buffer = new byte[size];
        try {
          int length = message.encode(buffer, 0, size);
          return Arrays.copyOf(buffer, length);
        } catch (BufferOverflowException e) {
          if (size > Integer.MAX_VALUE / 4) {
            throw e;
          }
          // too small: try twice the size
        }
      }
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
    if (v instanceof UUID) {
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
}
