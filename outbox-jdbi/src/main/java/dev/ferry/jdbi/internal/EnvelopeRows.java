package dev.ferry.jdbi.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.Envelope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.SqlStatement;

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

  private EnvelopeRows() {}

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
        .headers(headers(rs.getString("headers")))
        .body(rs.getBytes("body"))
        .build();
  }

  private static String headersJson(Map<String, String> headers) {
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
      throw new SQLException("Stored headers are not a JSON object of strings: " + e, e);
    }
  }
}
