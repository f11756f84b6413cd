package dev.ferry.spi;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.Envelope;
import dev.ferry.StoreGauges;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Durability: the outbox, the inbox, scheduled messages and dead letters. The default keeps them in
 * bounded memory (nothing survives a restart); {@code outbox-jdbi} keeps them in PostgreSQL.
 *
 * <p>Outgoing rows carry an owner (a node id) and a lease. Rows stored through a unit of work are
 * owned by the storing node, which sends them right after commit; the relay of any node claims rows
 * whose lease has expired. Deleting and releasing are fenced: they only touch rows still owned by
 * the caller, so a node whose lease was taken over cannot disturb the new owner.
 */
public interface EnvelopeStore extends AutoCloseable {

  /** True if stored envelopes survive a crash. */
  boolean durable();

  /** Prepares the store (schema, pools). Called once before use. */
  default void start(String nodeId) throws Exception {}

  /**
   * Runs {@code work} in a transaction: the caller's open one if there is one on this thread (see
   * {@link #currentTransaction()}), which then commits or rolls back with the caller; otherwise a
   * new one that is committed here, after which the after-commit actions run. On an exception a new
   * transaction rolls back, a joined one is marked rollback-only, and the exception is rethrown.
   */
  <T> T inTransaction(TransactionalWork<T> work) throws Exception;

  /**
   * The transaction the caller has open on this thread and this store can join (a JDBI transaction
   * bound by the store's integration, or an active JTA transaction), if any.
   */
  Optional<UnitOfWork> currentTransaction();

  // ---- outbox ----

  /**
   * Stores envelopes in the unit of work, owned by {@code owner} until {@code leaseUntil}; with
   * {@code owner} null they are unowned, for any relay to claim once due (scheduled messages).
   */
  void storeOutgoing(
      UnitOfWork uow, Collection<OutgoingEnvelope> envelopes, String owner, Instant leaseUntil)
      throws Exception;

  /**
   * Claims up to {@code limit} outgoing envelopes that are due at {@code now} and unowned or whose
   * lease expired, for {@code owner} until {@code now + lease}. Never holds a lock after returning.
   */
  List<OutgoingEnvelope> claimOutgoing(String owner, int limit, Instant now, Duration lease)
      throws Exception;

  /** Deletes sent envelopes still owned by {@code owner}; returns how many were deleted. */
  int deleteOutgoing(String owner, Collection<String> ids) throws Exception;

  /**
   * Gives envelopes back (a send failed): unowned, and not due before {@code notBefore}. Only rows
   * still owned by {@code owner} are touched.
   */
  int releaseOutgoing(String owner, Collection<String> ids, Instant notBefore) throws Exception;

  /** How many outgoing envelopes are waiting (for metrics and tests). */
  long outgoingCount() throws Exception;

  /** Depths and ages of what the store holds, read at once (one round trip where possible). */
  StoreGauges gauges() throws Exception;

  // ---- inbox ----

  /**
   * Records that {@code messageId} is being handled at {@code endpoint} in this unit of work.
   * Returns false if it was handled before (a duplicate to skip). Two transactions racing on the
   * same id must not both get true.
   */
  boolean recordIncoming(UnitOfWork uow, String endpoint, String messageId) throws Exception;

  /**
   * Records several message ids at once (a received batch); returns the ids that were handled
   * before and must be skipped. Stores override it to use one round trip instead of one per id.
   */
  default java.util.Set<String> recordIncoming(
      UnitOfWork uow, String endpoint, Collection<String> messageIds) throws Exception {
    java.util.Set<String> duplicates = new java.util.HashSet<>();
    for (String id : messageIds) {
      if (!recordIncoming(uow, endpoint, id)) {
        duplicates.add(id);
      }
    }
    return duplicates;
  }

  /**
   * Whether the store answers now, as cheaply as it can (throws when it does not). Listeners hold
   * their messages while it does not, instead of handing them back to the broker, whose delivery
   * count would grow with every try.
   */
  default void ping() throws Exception {
    outgoingCount();
  }

  /**
   * Why this store cannot keep a received envelope as it is (a value its database refuses), or null
   * when it can. The runtime dead-letters such an envelope before handling it, with reason {@link
   * dev.ferry.Reasons#UNSTORABLE}.
   */
  default String unstorable(Envelope envelope) {
    return null;
  }

  // ---- dead letters ----

  /**
   * Stores a dead letter in its own transaction. A store whose database refuses some values (see
   * {@link #unstorable}) stores the dead letter with them replaced, never failing because of them.
   */
  void storeDeadLetter(DeadLetter deadLetter) throws Exception;

  /** The matching dead letters, newest first, at most {@code query.limit()}. */
  List<DeadLetter> deadLetters(DeadLetterQuery query) throws Exception;

  Optional<DeadLetter> deadLetter(String id) throws Exception;

  /** Deletes a dead letter within the unit of work (used to replay atomically). */
  boolean deleteDeadLetter(UnitOfWork uow, String id) throws Exception;

  long deadLetterCount() throws Exception;

  /**
   * Deletes the matching dead letters (all of them, whatever the query's limit); returns how many.
   */
  long purgeDeadLetters(DeadLetterQuery query) throws Exception;

  @Override
  default void close() {}

  /** Work run inside a store transaction. */
  @FunctionalInterface
  interface TransactionalWork<T> {
    T run(UnitOfWork uow) throws Exception;
  }
}
