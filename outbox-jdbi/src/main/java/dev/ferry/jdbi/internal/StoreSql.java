package dev.ferry.jdbi.internal;

/** The statements of one schema; the schema name is validated and quoted before it gets here. */
final class StoreSql {
  private static final String UPSERT_ENVELOPE =
      """
       message_id = EXCLUDED.message_id, message_type = EXCLUDED.message_type,
       content_type = EXCLUDED.content_type, correlation_id = EXCLUDED.correlation_id,
       causation_id = EXCLUDED.causation_id, reply_to = EXCLUDED.reply_to,
       reply_type = EXCLUDED.reply_type, source = EXCLUDED.source, sent_at = EXCLUDED.sent_at,
       deliver_by = EXCLUDED.deliver_by, scheduled_for = EXCLUDED.scheduled_for,
       attempts = EXCLUDED.attempts, tenant = EXCLUDED.tenant,
       trace_parent = EXCLUDED.trace_parent, trace_state = EXCLUDED.trace_state,
       headers = EXCLUDED.headers, body = EXCLUDED.body""";

  final String insertOutgoing;
  final String claimOutgoing;
  final String deleteOutgoing;
  final String releaseOutgoing;
  final String countOutgoing;
  final String insertIncoming;
  final String purgeIncoming;
  final String upsertDeadLetter;
  final String selectDeadLetters;
  final String selectDeadLettersAt;
  final String selectDeadLetter;
  final String deleteDeadLetter;
  final String countDeadLetters;
  final String purgeDeadLetters;

  StoreSql(String schema) {
    String s = Identifiers.quote(schema) + ".";
    String outgoing = s + "outgoing";
    String incoming = s + "incoming";
    String dead = s + "dead_letters";
    String envelope = EnvelopeRows.COLUMNS;
    insertOutgoing =
        "INSERT INTO "
            + outgoing
            + " (id, destination, due_at, not_before, owner, lease_until, "
            + envelope
            + ") VALUES (:id, :destination, :due_at,"
            + " COALESCE(:due_at, CAST('-infinity' AS timestamptz)), :owner, :lease_until, "
            + EnvelopeRows.PARAMETERS
            + ") ON CONFLICT (id) DO UPDATE SET destination = EXCLUDED.destination,"
            + " due_at = EXCLUDED.due_at, not_before = EXCLUDED.not_before,"
            + " owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until,"
            + UPSERT_ENVELOPE;
    claimOutgoing =
        "WITH due AS (SELECT id FROM "
            + outgoing
            + " WHERE not_before <= :now AND (lease_until IS NULL OR lease_until <= :now)"
            + " ORDER BY not_before, seq LIMIT :limit FOR UPDATE SKIP LOCKED)"
            + " UPDATE "
            + outgoing
            + " o SET owner = :owner, lease_until = :lease_until FROM due WHERE o.id = due.id"
            + " RETURNING o.seq, o.not_before, o.destination, o.due_at, "
            + EnvelopeRows.columns("o.");
    deleteOutgoing = "DELETE FROM " + outgoing + " WHERE owner = :owner AND id = ANY(:ids)";
    releaseOutgoing =
        "UPDATE "
            + outgoing
            + " SET owner = NULL, lease_until = NULL,"
            + " not_before = GREATEST(not_before, :not_before)"
            + " WHERE owner = :owner AND id = ANY(:ids)";
    countOutgoing = "SELECT count(*) FROM " + outgoing;
    insertIncoming =
        "INSERT INTO "
            + incoming
            + " (message_id, endpoint, handled_at) VALUES (:message_id, :endpoint, :handled_at)"
            + " ON CONFLICT (message_id, endpoint) DO NOTHING";
    purgeIncoming =
        "DELETE FROM "
            + incoming
            + " i USING (SELECT message_id, endpoint FROM "
            + incoming
            + " WHERE handled_at < :before LIMIT :batch FOR UPDATE SKIP LOCKED) old"
            + " WHERE i.message_id = old.message_id AND i.endpoint = old.endpoint";
    String deadColumns =
        "endpoint, reason, exception_type, exception_message, stack_trace, failed_attempts,"
            + " first_failed_at, dead_lettered_at";
    upsertDeadLetter =
        "INSERT INTO "
            + dead
            + " (id, "
            + deadColumns
            + ", "
            + envelope
            + ") VALUES (:id, :endpoint, :reason, :exception_type, :exception_message,"
            + " :stack_trace, :failed_attempts, :first_failed_at, :dead_lettered_at, "
            + EnvelopeRows.PARAMETERS
            + ") ON CONFLICT (id) DO UPDATE SET endpoint = EXCLUDED.endpoint,"
            + " reason = EXCLUDED.reason, exception_type = EXCLUDED.exception_type,"
            + " exception_message = EXCLUDED.exception_message,"
            + " stack_trace = EXCLUDED.stack_trace, failed_attempts = EXCLUDED.failed_attempts,"
            + " first_failed_at = EXCLUDED.first_failed_at,"
            + " dead_lettered_at = EXCLUDED.dead_lettered_at,"
            + UPSERT_ENVELOPE;
    String selectDead = "SELECT id, " + deadColumns + ", " + envelope + " FROM " + dead;
    selectDeadLetters = selectDead + " ORDER BY seq DESC LIMIT :limit";
    selectDeadLettersAt = selectDead + " WHERE endpoint = :endpoint ORDER BY seq DESC LIMIT :limit";
    selectDeadLetter = selectDead + " WHERE id = :id";
    deleteDeadLetter = "DELETE FROM " + dead + " WHERE id = :id";
    countDeadLetters = "SELECT count(*) FROM " + dead;
    purgeDeadLetters = "DELETE FROM " + dead;
  }
}
