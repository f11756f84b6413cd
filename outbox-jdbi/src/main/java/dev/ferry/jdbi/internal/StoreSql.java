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

  /**
   * Turns {@code synchronous_commit} off for the transaction of the statement it is added to: a
   * materialized CTE, forced to run once by an uncorrelated {@code EXISTS} in the statement's
   * condition. A statement in auto-commit is its own transaction, so the setting ends with it.
   */
  private static final String ASYNC_CTE =
      "ferry_async AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))";

  private static final String ASYNC_CONDITION = " AND EXISTS (SELECT 1 FROM ferry_async)";

  final String insertOutgoing;
  final String insertOutgoingAndCommit;
  final String claimOutgoing;
  final String claimOutgoingAsync;
  final String deleteOutgoing;
  final String deleteOutgoingAsync;
  final String releaseOutgoing;
  final String releaseOutgoingAsync;
  final String countOutgoing;
  final String insertIncoming;
  final String insertIncomingBatch;
  final String purgeIncoming;
  final String purgeIncomingAsync;
  final String upsertDeadLetter;
  final String selectDeadLetters;
  final String selectDeadLetter;
  final String deleteDeadLetter;
  final String countDeadLetters;
  final String purgeDeadLetters;

  /** A dead-letter query's criteria; each one bound as null matches everything. */
  static final String DEAD_LETTER_FILTER =
      " WHERE (CAST(:endpoint AS text) IS NULL OR endpoint = :endpoint)"
          + " AND (CAST(:message_type AS text) IS NULL OR message_type = :message_type)"
          + " AND (CAST(:reason AS text) IS NULL OR reason = :reason)"
          + " AND (CAST(:after AS timestamptz) IS NULL OR dead_lettered_at >= :after)"
          + " AND (CAST(:before AS timestamptz) IS NULL OR dead_lettered_at < :before)";

  StoreSql(String schema) {
    String s = Identifiers.quote(schema) + ".";
    String outgoing = s + "outgoing";
    String incoming = s + "incoming";
    String dead = s + "dead_letters";
    String envelope = EnvelopeRows.COLUMNS;
    // Positional: run through plain JDBC (Db.jdbc), one per message.
    insertOutgoing =
        "INSERT INTO "
            + outgoing
            + " (id, destination, due_at, not_before, owner, lease_until, "
            + envelope
            + ") VALUES (?, ?, ?, COALESCE(?, CAST('-infinity' AS timestamptz)), ?, ?, "
            + EnvelopeRows.POSITIONAL
            + ") ON CONFLICT (id) DO UPDATE SET destination = EXCLUDED.destination,"
            + " due_at = EXCLUDED.due_at, not_before = EXCLUDED.not_before,"
            + " owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until,"
            + UPSERT_ENVELOPE;
    insertOutgoingAndCommit = insertOutgoing + "; COMMIT";
    String due =
        "due AS (SELECT id FROM "
            + outgoing
            + " WHERE not_before <= :now AND (lease_until IS NULL OR lease_until <= :now)"
            + " ORDER BY not_before, seq LIMIT :limit FOR UPDATE SKIP LOCKED)";
    String claim =
        " UPDATE "
            + outgoing
            + " o SET owner = :owner, lease_until = :lease_until FROM due WHERE o.id = due.id";
    String claimed =
        " RETURNING o.id, o.seq, o.not_before, o.destination, o.due_at, "
            + EnvelopeRows.columns("o.");
    claimOutgoing = "WITH " + due + claim + claimed;
    claimOutgoingAsync = "WITH " + ASYNC_CTE + ", " + due + claim + ASYNC_CONDITION + claimed;
    // Positional: owner, ids.
    deleteOutgoing = "DELETE FROM " + outgoing + " WHERE owner = ? AND id = ANY(?)";
    deleteOutgoingAsync = async(deleteOutgoing);
    // Positional: not before, owner, ids.
    releaseOutgoing =
        "UPDATE "
            + outgoing
            + " SET owner = NULL, lease_until = NULL, not_before = GREATEST(not_before, ?)"
            + " WHERE owner = ? AND id = ANY(?)";
    releaseOutgoingAsync = async(releaseOutgoing);
    countOutgoing = "SELECT count(*) FROM " + outgoing;
    // Positional: message id, endpoint, handled at.
    insertIncoming =
        "INSERT INTO "
            + incoming
            + " (message_id, endpoint, handled_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (message_id, endpoint) DO NOTHING";
    // Positional: endpoint, handled at, message ids; returns the ids inserted.
    insertIncomingBatch =
        "INSERT INTO "
            + incoming
            + " (message_id, endpoint, handled_at) SELECT m, ?, ? FROM unnest(CAST(? AS text[])) m"
            + " ORDER BY m ON CONFLICT (message_id, endpoint) DO NOTHING RETURNING message_id";
    purgeIncoming =
        "DELETE FROM "
            + incoming
            + " i USING (SELECT message_id, endpoint FROM "
            + incoming
            + " WHERE handled_at < :before LIMIT :batch FOR UPDATE SKIP LOCKED) old"
            + " WHERE i.message_id = old.message_id AND i.endpoint = old.endpoint";
    purgeIncomingAsync = async(purgeIncoming);
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
    selectDeadLetters = selectDead + DEAD_LETTER_FILTER + " ORDER BY seq DESC LIMIT :limit";
    selectDeadLetter = selectDead + " WHERE id = :id";
    deleteDeadLetter = "DELETE FROM " + dead + " WHERE id = :id";
    countDeadLetters = "SELECT count(*) FROM " + dead;
    purgeDeadLetters = "DELETE FROM " + dead + DEAD_LETTER_FILTER;
  }

  /**
   * {@code statement} (without a WITH clause, ending in its condition) committing asynchronously.
   */
  static String async(String statement) {
    return "WITH " + ASYNC_CTE + " " + statement + ASYNC_CONDITION;
  }
}
