package dev.ferry.jdbi.internal;

import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * What PostgreSQL cannot store, from the wire: a NUL character in a text or {@code jsonb} value, a
 * {@code timestamptz} outside its range, a message id beyond what its unique indexes take. A
 * received envelope with such a value is dead-lettered ({@link #why}); the dead letter is made
 * storable first ({@link #deadLetter}), keeping what was replaced in headers.
 */
public final class Storable {
  /** PostgreSQL's timestamptz range (4713 BC to 294276 AD), with a margin for time zones. */
  static final Instant EARLIEST = Instant.parse("-4712-01-02T00:00:00Z");

  static final Instant LATEST = Instant.parse("+294276-12-30T00:00:00Z");

  /**
   * The longest message id in UTF-8 bytes: the inbox key (message id, endpoint) and the dead letter
   * key (id '@' endpoint) must fit a btree index entry (about 2,700 bytes).
   */
  public static final int MAX_ID_BYTES = 1024;

  /** The header that keeps a replaced value: {@code ferry-unstorable-<field>}. */
  public static final String ORIGINAL_HEADER_PREFIX = "ferry-unstorable-";

  private static final char REPLACEMENT = '\uFFFD';

  private Storable() {}

  /** Why the store cannot keep this envelope as it is, or null when it can. */
  public static String why(Envelope e) {
    if (e.id() != null && tooLong(e.id())) {
      return "its id is longer than " + MAX_ID_BYTES + " bytes in UTF-8";
    }
    String nul = nulIn(e);
    if (nul != null) {
      return "its " + nul + " has a NUL character (0x00), which PostgreSQL cannot store";
    }
    String instant = outOfRange(e);
    if (instant != null) {
      return "its " + instant + " is outside the dates PostgreSQL can store";
    }
    return null;
  }

  /** The dead letter, with every value PostgreSQL cannot store replaced. */
  public static DeadLetter deadLetter(DeadLetter d) {
    Envelope e = d.envelope();
    Envelope storable = e == null ? null : envelope(e);
    String id = d.id();
    if (storable != e || hasNul(id) || tooLong(id)) {
      id = id(clean(id));
    }
    if (storable == e
        && id.equals(d.id())
        && !hasNul(d.endpoint())
        && !hasNul(d.reason())
        && !hasNul(d.exceptionType())
        && !hasNul(d.exceptionMessage())
        && !hasNul(d.stackTrace())
        && inRange(d.firstFailedAt())
        && inRange(d.deadLetteredAt())) {
      return d;
    }
    return new DeadLetter(
        id,
        storable,
        clean(d.endpoint()),
        clean(d.reason()),
        clean(d.exceptionType()),
        clean(d.exceptionMessage()),
        clean(d.stackTrace()),
        d.attempts(),
        inRange(d.firstFailedAt()) ? d.firstFailedAt() : Instant.now(),
        inRange(d.deadLetteredAt()) ? d.deadLetteredAt() : Instant.now());
  }

  /** The envelope, or a storable copy with the originals of replaced values in headers. */
  static Envelope envelope(Envelope e) {
    if (why(e) == null) {
      return e;
    }
    Envelope.Builder b =
        Envelope.builder()
            .id(e.id() == null ? null : id(clean(e.id())))
            .messageType(clean(e.messageType()))
            .contentType(clean(e.contentType()))
            .correlationId(clean(e.correlationId()))
            .causationId(clean(e.causationId()))
            .replyTo(clean(e.replyTo()))
            .replyType(clean(e.replyType()))
            .source(clean(e.source()))
            .sentAt(instant(e.sentAt()))
            .deliverBy(instant(e.deliverBy()))
            .scheduledFor(instant(e.scheduledFor()))
            .attempts(e.attempts())
            .tenant(clean(e.tenant()))
            .traceParent(clean(e.traceParent()))
            .traceState(clean(e.traceState()))
            .body(e.body());
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      b.header(clean(h.getKey()), clean(h.getValue()));
    }
    if (e.id() != null && !e.id().equals(id(clean(e.id())))) {
      b.header(ORIGINAL_HEADER_PREFIX + "id", escape(e.id()));
    }
    keep(b, "sent-at", e.sentAt());
    keep(b, "deliver-by", e.deliverBy());
    keep(b, "scheduled-for", e.scheduledFor());
    return b.build();
  }

  private static void keep(Envelope.Builder b, String field, Instant value) {
    if (!inRange(value)) {
      b.header(ORIGINAL_HEADER_PREFIX + field, value.toString());
    }
  }

  private static String nulIn(Envelope e) {
    String[][] fields = {
      {"id", e.id()},
      {"message type", e.messageType()},
      {"content type", e.contentType()},
      {"correlation id", e.correlationId()},
      {"causation id", e.causationId()},
      {"reply-to", e.replyTo()},
      {"reply type", e.replyType()},
      {"source", e.source()},
      {"tenant", e.tenant()},
      {"traceparent", e.traceParent()},
      {"tracestate", e.traceState()}
    };
    for (String[] f : fields) {
      if (hasNul(f[1])) {
        return f[0];
      }
    }
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      if (hasNul(h.getKey()) || hasNul(h.getValue())) {
        return "header '" + clean(h.getKey()) + "'";
      }
    }
    return null;
  }

  private static String outOfRange(Envelope e) {
    if (!inRange(e.sentAt())) {
      return "sent-at (" + e.sentAt() + ")";
    }
    if (!inRange(e.deliverBy())) {
      return "deliver-by (" + e.deliverBy() + ")";
    }
    if (!inRange(e.scheduledFor())) {
      return "scheduled-for (" + e.scheduledFor() + ")";
    }
    return null;
  }

  private static boolean inRange(Instant i) {
    return i == null || (!i.isBefore(EARLIEST) && !i.isAfter(LATEST));
  }

  private static Instant instant(Instant i) {
    return inRange(i) ? i : null;
  }

  private static boolean hasNul(String text) {
    return text != null && text.indexOf(0) >= 0;
  }

  private static boolean tooLong(String text) {
    return text.length() * 3L > MAX_ID_BYTES
        && text.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES;
  }

  /** NUL characters replaced by U+FFFD. */
  static String clean(String text) {
    return hasNul(text) ? text.replace('\0', REPLACEMENT) : text;
  }

  /** The id, or for an over-long one its start and a SHA-256 of the whole. */
  private static String id(String id) {
    if (!tooLong(id)) {
      return id;
    }
    String digest = sha256(id);
    StringBuilder start = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < id.length(); ) {
      int cp = id.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + len > 256) {
        break;
      }
      start.appendCodePoint(cp);
      bytes += len;
      i += Character.charCount(cp);
    }
    return start + "...sha256:" + digest;
  }

  /** A replaced id kept in a header: NUL written as \\0, at most 8 KiB. */
  private static String escape(String id) {
    String text = id.replace("\0", "\\0");
    return text.length() <= 8192 ? text : text.substring(0, 8192) + "...";
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
