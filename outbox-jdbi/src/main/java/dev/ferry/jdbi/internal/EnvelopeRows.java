package dev.ferry.jdbi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.Envelope;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The envelope's columns, shared by the outgoing and dead-letter tables: one column per wire field,
 * user headers as {@code jsonb}, the body as {@code bytea}. Timestamps keep microseconds.
 */
final class EnvelopeRows {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> HEADERS =
      new TypeReference<>() {};

  private static final List<String> NAMES =
      List.of(
          "message_id",
          "message_type",
          "content_type",
          "correlation_id",
          "causation_id",
          "reply_to",
          "reply_type",
          "source",
          "sent_at",
          "deliver_by",
          "scheduled_for",
          "attempts",
          "tenant",
          "trace_parent",
          "trace_state",
          "headers",
          "body");

  static final String COLUMNS = columns("");

  static final String PARAMETERS =
      NAMES.stream()
          .map(n -> n.equals("headers") ? "CAST(:headers AS jsonb)" : ":" + n)
          .collect(Collectors.joining(", "));

  /**
   * {@link #PARAMETERS} as positional parameters, for {@link #bind(PreparedStatement, int,
   * Envelope)}.
   */
  static final String POSITIONAL =
      NAMES.stream()
          .map(n -> n.equals("headers") ? "CAST(? AS jsonb)" : "?")
          .collect(Collectors.joining(", "));

  private EnvelopeRows() {}

  /** Binds the envelope's columns from parameter {@code first} on; returns the next index. */
  static int bind(PreparedStatement ps, int first, Envelope e) throws SQLException {
    int i = first;
    ps.setString(i++, e.id());
    ps.setString(i++, e.messageType());
    ps.setString(i++, e.contentType());
    ps.setString(i++, e.correlationId());
    ps.setString(i++, e.causationId());
    ps.setString(i++, e.replyTo());
    ps.setString(i++, e.replyType());
    ps.setString(i++, e.source());
    Db.setInstant(ps, i++, e.sentAt());
    Db.setInstant(ps, i++, e.deliverBy());
    Db.setInstant(ps, i++, e.scheduledFor());
    ps.setInt(i++, e.attempts());
    ps.setString(i++, e.tenant());
    ps.setString(i++, e.traceParent());
    ps.setString(i++, e.traceState());
    ps.setString(i++, headersJson(e.headers()));
    ps.setBytes(i++, e.body());
    return i;
  }

  /**
   * Refuses an envelope PostgreSQL would refuse (a NUL character in a text or {@code jsonb} value),
   * as the insert would: a row buffered until the commit is checked when it is sent, so that the
   * send fails where it would have failed when written at once.
   */
  static void checkStorable(Envelope e) {
    boolean nul =
        hasNul(e.id())
            || hasNul(e.messageType())
            || hasNul(e.contentType())
            || hasNul(e.correlationId())
            || hasNul(e.causationId())
            || hasNul(e.replyTo())
            || hasNul(e.replyType())
            || hasNul(e.source())
            || hasNul(e.tenant())
            || hasNul(e.traceParent())
            || hasNul(e.traceState());
    if (!nul && !e.headers().isEmpty()) {
      for (Map.Entry<String, String> h : e.headers().entrySet()) {
        nul |= hasNul(h.getKey()) || hasNul(h.getValue());
      }
    }
    if (nul) {
      throw new UnableToExecuteStatementException(
          new SQLException(
              "Message "
                  + e.id()
                  + " has a NUL character (0x00) in a text field or header,"
                  + " which PostgreSQL cannot store",
              "22021"),
          null);
    }
  }

  private static boolean hasNul(String text) {
    return text != null && text.indexOf(0) >= 0;
  }

  static String columns(String prefix) {
    return NAMES.stream().map(n -> prefix + n).collect(Collectors.joining(", "));
  }

  static <S extends SqlStatement<S>> S bind(S statement, Envelope e) {
    return statement
        .bind("message_id", e.id())
        .bind("message_type", e.messageType())
        .bind("content_type", e.contentType())
        .bind("correlation_id", e.correlationId())
        .bind("causation_id", e.causationId())
        .bind("reply_to", e.replyTo())
        .bind("reply_type", e.replyType())
        .bind("source", e.source())
        .bind("sent_at", Db.instant(e.sentAt()))
        .bind("deliver_by", Db.instant(e.deliverBy()))
        .bind("scheduled_for", Db.instant(e.scheduledFor()))
        .bind("attempts", e.attempts())
        .bind("tenant", e.tenant())
        .bind("trace_parent", e.traceParent())
        .bind("trace_state", e.traceState())
        .bind("headers", headersJson(e.headers()))
        .bind("body", e.body());
  }

  static Envelope read(ResultSet rs) throws SQLException {
    return builder(rs).headers(headers(rs.getString("headers"))).build();
  }

  /**
   * As much of the envelope as can be read: a part that cannot be read is left out (headers that
   * are not a JSON object of strings become none) and its problem, naming the column, is added to
   * {@code problems}. Used to keep an unreadable row as a dead letter instead of losing it.
   */
  static Envelope readWhatIsReadable(ResultSet rs, List<String> problems) throws SQLException {
    Envelope.Builder b;
    try {
      b = builder(rs);
    } catch (SQLException | RuntimeException e) {
      problems.add("envelope columns: " + e.getMessage());
      b = Envelope.builder().id(rs.getString("message_id")).body(bodyOrEmpty(rs));
    }
    String json = rs.getString("headers");
    try {
      b.headers(headers(json));
    } catch (SQLException | RuntimeException e) {
      problems.add("column headers: " + e.getMessage() + "; stored value: " + abbreviate(json));
    }
    return b.build();
  }

  private static byte[] bodyOrEmpty(ResultSet rs) {
    try {
      return rs.getBytes("body");
    } catch (SQLException | RuntimeException e) {
      return new byte[0];
    }
  }

  private static String abbreviate(String text) {
    if (text == null || text.length() <= 500) {
      return text;
    }
    return text.substring(0, 500) + "... (" + text.length() + " characters)";
  }

  private static Envelope.Builder builder(ResultSet rs) throws SQLException {
    return Envelope.builder()
        .id(rs.getString("message_id"))
        .messageType(rs.getString("message_type"))
        .contentType(rs.getString("content_type"))
        .correlationId(rs.getString("correlation_id"))
        .causationId(rs.getString("causation_id"))
        .replyTo(rs.getString("reply_to"))
        .replyType(rs.getString("reply_type"))
        .source(rs.getString("source"))
        .sentAt(Db.instant(rs, "sent_at"))
        .deliverBy(Db.instant(rs, "deliver_by"))
        .scheduledFor(Db.instant(rs, "scheduled_for"))
        .attempts(rs.getInt("attempts"))
        .tenant(rs.getString("tenant"))
        .traceParent(rs.getString("trace_parent"))
        .traceState(rs.getString("trace_state"))
        .body(rs.getBytes("body"));
  }

  private static String headersJson(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write headers as JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> headers(String json) throws SQLException {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, HEADERS);
    } catch (JsonProcessingException e) {
      throw new SQLException(
          "Stored headers are not a JSON object of strings: " + e.getOriginalMessage(), e);
    }
  }
}
