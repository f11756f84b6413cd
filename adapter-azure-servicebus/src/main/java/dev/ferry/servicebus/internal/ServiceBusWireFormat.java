package dev.ferry.servicebus.internal;

import static dev.ferry.spi.support.WireNames.ATTEMPTS;
import static dev.ferry.spi.support.WireNames.CAUSATION_ID;
import static dev.ferry.spi.support.WireNames.DELIVER_BY;
import static dev.ferry.spi.support.WireNames.HEADER_PREFIX;
import static dev.ferry.spi.support.WireNames.ID;
import static dev.ferry.spi.support.WireNames.REPLY_TYPE;
import static dev.ferry.spi.support.WireNames.SOURCE;
import static dev.ferry.spi.support.WireNames.SPEC_VERSION;
import static dev.ferry.spi.support.WireNames.TARGET;
import static dev.ferry.spi.support.WireNames.TENANT;
import static dev.ferry.spi.support.WireNames.TIME;
import static dev.ferry.spi.support.WireNames.TRACE_PARENT;
import static dev.ferry.spi.support.WireNames.TRACE_STATE;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import dev.ferry.DeadLetters;
import dev.ferry.Envelope;
import dev.ferry.Reasons;
import dev.ferry.spi.support.WireNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/**
 * The envelope on Service Bus, as {@code docs/wire-format.md} describes it: id, type, content type,
 * correlation id, reply-to, time to live, scheduled enqueue time and session id in the native
 * message properties; the other CloudEvents attributes and Ferry's extensions as {@code
 * cloudEvents_*} application properties (the JMS binding's names, so both transports read alike);
 * trace context and the rest under the names of {@link WireNames} (the same as on JMS); user
 * headers as {@code ferryh_<name>} with the name unchanged, as Service Bus allows any property
 * name. Messages are read by {@link ServiceBusDecoder}.
 */
public final class ServiceBusWireFormat {
  private ServiceBusWireFormat() {}

  /**
   * The broker delivery count (0-based, as the Java SDK shows it) at which {@link
   * WireNames#ATTEMPTS} was last written by an abandon; deliveries are counted afresh from there.
   */
  public static final String DELIVERY_BASE = "cloudEvents_ferrydeliverybase";

  /** The Azure SDK's older name for the trace parent; read when {@code traceparent} is absent. */
  public static final String DIAGNOSTIC_ID = "Diagnostic-Id";

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
    AmqpMessageBody kept = keptSection(e);
    ServiceBusMessage m =
        kept != null
            ? new ServiceBusMessage(kept)
            : new ServiceBusMessage(BinaryData.fromBytes(e.body()));
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
      // What a reader found about a body it received is not the message's to carry on.
      if (!h.getKey().startsWith(Reasons.READER_HEADER_PREFIX)) {
        p.put(HEADER_PREFIX + h.getKey(), h.getValue());
      }
    }
    if (target != null) {
      p.put(TARGET, target);
    }
    return m;
  }

  /**
   * The broker's MessageId: the envelope id, except for a copy carrying failed attempts (a retry)
   * or a replay marker, which gets its own so that an entity with duplicate detection does not drop
   * it as a duplicate of the original; the envelope id then travels in {@link WireNames#ID}.
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
   * The AMQP value or sequence section a dead letter kept ({@link ServiceBusDecoder}), so that a
   * replay sends the body as it was received; null for any other envelope, and for a kept body that
   * no longer decodes (an operator edited it), which is then sent as Data.
   */
  private static AmqpMessageBody keptSection(Envelope e) {
    String section = e.headers().get(Reasons.ORIGINAL_BODY_KIND_HEADER);
    if (section == null || e.body() == null) {
      return null;
    }
    try {
      Message decoded = Message.Factory.create();
      decoded.decode(e.body(), 0, e.body().length);
      if (ServiceBusDecoder.AMQP_SEQUENCE.equals(section)
          && decoded.getBody() instanceof AmqpSequence sequence) {
        List<Object> items = new ArrayList<>();
        items.addAll((List<?>) sequence.getValue()); // Proton's AmqpSequence is a raw List
        return AmqpMessageBody.fromSequence(items);
      }
      if (ServiceBusDecoder.AMQP_VALUE.equals(section)
          && decoded.getBody() instanceof AmqpValue value) {
        return AmqpMessageBody.fromValue(value.getValue());
      }
    } catch (RuntimeException ex) {
      // not the encoding the decoder kept: send the bytes as they are
    }
    return null;
  }

  private static void put(Map<String, Object> p, String name, Object value) {
    if (value != null) {
      p.put(name, value.toString());
    }
  }
}
