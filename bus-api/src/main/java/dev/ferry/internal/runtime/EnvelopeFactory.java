package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeliveryOptions;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.MessageTooLargeException;
import dev.ferry.internal.routing.Router;
import dev.ferry.internal.types.MessageTypes;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Serializer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Turns a message plus options (and the message being handled, if any) into an envelope. */
final class EnvelopeFactory {

  /** How a message leaves. */
  enum Mode {
    SEND,
    PUBLISH,
    /** Sent if a command, published if an event: scheduled and returned messages. */
    ROUTED,
    REPLY
  }

  private final MessageTypes types;
  private final Serializer serializer;
  private final Router router;
  private final String serviceName;
  private final boolean nativeScheduling;
  private final long maxMessageBytes;

  EnvelopeFactory(
      MessageTypes types,
      Serializer serializer,
      Router router,
      String serviceName,
      boolean nativeScheduling,
      long maxMessageBytes) {
    this.types = types;
    this.serializer = serializer;
    this.router = router;
    this.serviceName = serviceName;
    this.nativeScheduling = nativeScheduling;
    this.maxMessageBytes = maxMessageBytes;
  }

  OutgoingEnvelope create(
      Object message, Mode mode, DeliveryOptions options, Envelope parent, Instant scheduledFor) {
    Objects.requireNonNull(message, "message must not be null");
    Objects.requireNonNull(options, "options");
    String alias = types.aliasOf(message.getClass());
    byte[] body;
    try {
      body = serializer.serialize(message);
    } catch (Exception e) {
      throw new FerryException("Cannot serialize " + message.getClass().getName() + ": " + e, e);
    }
    if (maxMessageBytes > 0 && body.length > maxMessageBytes) {
      throw new MessageTooLargeException(
          alias
              + " serializes to "
              + body.length
              + " bytes; the transport accepts at most "
              + maxMessageBytes);
    }
    Address destination = destination(message.getClass(), mode, options, parent);
    Instant now = Instant.now();
    String id = options.messageId() != null ? options.messageId() : UUID.randomUUID().toString();
    Instant deliverBy = options.deliverBy();
    if (deliverBy == null && options.timeToLive() != null) {
      deliverBy = (scheduledFor != null ? scheduledFor : now).plus(options.timeToLive());
    }
    Envelope.Builder b =
        Envelope.builder()
            .id(id)
            .messageType(alias)
            .contentType(serializer.contentType())
            .source(serviceName)
            .sentAt(now)
            .deliverBy(deliverBy)
            .scheduledFor(scheduledFor)
            .headers(options.headers())
            .body(body);
    String correlation = options.correlationId();
    if (parent != null) {
      b.causationId(parent.id());
      b.tenant(options.tenant() != null ? options.tenant() : parent.tenant());
      b.traceParent(childTrace(parent.traceParent()));
      b.traceState(parent.traceState());
      if (correlation == null) {
        correlation = parent.correlationId();
      }
    } else {
      b.tenant(options.tenant());
      b.traceParent(childTrace(null));
    }
    b.correlationId(correlation != null ? correlation : id);
    Instant dueAt = scheduledFor != null && !nativeScheduling ? scheduledFor : null;
    return new OutgoingEnvelope(b.build(), destination, dueAt);
  }

  private Address destination(Class<?> type, Mode mode, DeliveryOptions options, Envelope parent) {
    if (options.destination() != null) {
      return router.qualify(options.destination(), "DeliveryOptions.destination");
    }
    return switch (mode) {
      case SEND -> router.sendRoute(type).address();
      case PUBLISH -> router.publishRoute(type).address();
      case ROUTED -> router.route(type).address();
      case REPLY -> {
        if (parent == null || parent.replyTo() == null) {
          throw new FerryException(
              "Cannot respond: message "
                  + (parent == null ? "?" : parent.id())
                  + " carries no reply address");
        }
        yield Address.parse(parent.replyTo());
      }
    };
  }

  /** A W3C traceparent: the parent's trace id with a new span id, or a new trace. */
  static String childTrace(String parent) {
    HexFormat hex = HexFormat.of();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String span = hex.toHexDigits(r.nextLong() | 1L);
    if (parent != null && parent.length() == 55 && parent.charAt(2) == '-') {
      return parent.substring(0, 36) + span + parent.substring(52);
    }
    String trace = hex.toHexDigits(r.nextLong()) + hex.toHexDigits(r.nextLong() | 1L);
    return "00-" + trace + "-" + span + "-01";
  }
}
