package dev.ferry.console.internal;

import dev.ferry.BusStatus;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.StoreGauges;
import dev.ferry.console.AuditEntry;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shapes of the REST API, one method per shape. Secrets are masked here, once. */
public final class Views {
  private Views() {}

  public static Map<String, Object> summary(DeadLetter d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("endpoint", d.endpoint());
    m.put("messageType", d.envelope().messageType());
    m.put("reason", d.reason());
    m.put("exceptionType", d.exceptionType());
    m.put("exceptionMessage", Redaction.text(d.exceptionMessage()));
    m.put("attempts", d.attempts());
    m.put("firstFailedAt", text(d.firstFailedAt()));
    m.put("deadLetteredAt", text(d.deadLetteredAt()));
    return m;
  }

  public static Map<String, Object> detail(DeadLetter d) {
    Map<String, Object> m = summary(d);
    Envelope e = d.envelope();
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("id", e.id());
    env.put("messageType", e.messageType());
    env.put("contentType", e.contentType());
    env.put("correlationId", e.correlationId());
    env.put("causationId", e.causationId());
    env.put("replyTo", e.replyTo());
    env.put("replyType", e.replyType());
    env.put("source", e.source());
    env.put("sentAt", text(e.sentAt()));
    env.put("deliverBy", text(e.deliverBy()));
    env.put("scheduledFor", text(e.scheduledFor()));
    env.put("attempts", e.attempts());
    env.put("tenant", e.tenant());
    env.put("traceParent", e.traceParent());
    m.put("envelope", env);
    m.put("headers", Redaction.headers(e.headers()));
    String body = utf8(e.body());
    m.put("bodyEncoding", body != null ? "utf-8" : "base64");
    m.put("body", body != null ? body : Base64.getEncoder().encodeToString(e.body()));
    m.put("stackTrace", Redaction.text(d.stackTrace()));
    return m;
  }

  public static Map<String, Object> audit(AuditEntry a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", text(a.at()));
    m.put("operator", a.operator());
    m.put("action", a.action());
    m.put("target", a.target());
    m.put("result", a.result());
    return m;
  }

  /** Circuits per destination and listeners, as the bus reports them now. */
  public static Map<String, Object> status(BusStatus status) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("storeAnswers", status.storeAnswers());
    m.put(
        "destinations",
        status.destinations().stream()
            .map(
                d -> {
                  Map<String, Object> one = new LinkedHashMap<>();
                  one.put("address", d.address().toString());
                  one.put("circuitOpen", d.circuitOpen());
                  one.put("pending", d.pending());
                  return one;
                })
            .toList());
    m.put(
        "listeners",
        status.listeners().stream()
            .map(
                l -> {
                  Map<String, Object> one = new LinkedHashMap<>();
                  one.put("endpoint", l.endpoint().toString());
                  one.put("holding", l.holding());
                  return one;
                })
            .toList());
    return m;
  }

  public static Map<String, Object> gauges(StoreGauges g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("outboxDepth", g.outboxDepth());
    m.put("oldestOutgoingAgeMillis", g.oldestOutgoingAge().toMillis());
    m.put("scheduled", g.scheduled());
    m.put("inboxDepth", g.inboxDepth());
    m.put("deadLetters", g.deadLetters());
    return m;
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }

  /** The body as text when it is valid UTF-8, else null. */
  private static String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
