package dev.ferry.jdbi;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.Envelope;
import dev.ferry.StoreGauges;
import dev.ferry.jdbi.internal.Db;
import dev.ferry.jdbi.internal.DeadLetterTable;
import dev.ferry.jdbi.internal.Identifiers;
import dev.ferry.jdbi.internal.InboxTable;
import dev.ferry.jdbi.internal.JdbiUnitOfWork;
import dev.ferry.jdbi.internal.OutboxTable;
import dev.ferry.jdbi.internal.SchemaMigrator;
import dev.ferry.jdbi.internal.Storable;
import dev.ferry.jdbi.internal.StoreGaugesQuery;
import dev.ferry.jdbi.internal.Transactions;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EnvelopeStore} on PostgreSQL through JDBI 3: outgoing messages are written in the same
 * transaction as the business data and leave only after it commits; handled message ids are
 * recorded in that transaction too, so redelivered duplicates are skipped; dead letters are kept
 * with their failure until replayed or purged.
 *
 * <p>The store joins the caller's transaction when there is one on the calling thread:
 *
 * <ul>
 *   <li>{@link FerryJdbi#inTransaction(JdbiEnvelopeStore, org.jdbi.v3.core.HandleCallback)} runs
 *       business code and {@code bus.publish(...)} in one transaction of the store's database;
 *   <li>{@link #bind(Handle)} makes a handle of your own {@code Jdbi} the one messages are written
 *       through, while its transaction is open;
 *   <li>an active JTA transaction is joined when the container binds a {@code
 *       TransactionSynchronizationRegistry} ({@link JdbiStoreKeys#JTA_REGISTRY}); the data source
 *       must then be the container's, so that its connections are enlisted.
 * </ul>
 *
 * <p>A transaction the store can neither join nor see the end of (one Spring manages on the thread)
 * is refused: a send there fails rather than commit the message on its own.
 *
 * <p>Handlers of durable endpoints can take a {@link Handle} parameter: it is the handle of their
 * unit of work, so their writes commit or roll back with the inbox record and their cascades.
 *
 * <p>Thread-safe. Build it with {@link #builder()}, pass it to {@code
 * MessageBus.builder().store(store)}; the bus starts and closes it.
 */
public final class JdbiEnvelopeStore implements EnvelopeStore {
  private static final Logger log = LoggerFactory.getLogger(JdbiEnvelopeStore.class);

  private final Jdbi jdbi;
  private final AutoCloseable ownedPool;
  private final String description;
  private final String schema;
  private final boolean migrate;
  private final Transactions transactions;
  private final OutboxTable outbox;
  private final StoreGaugesQuery gauges;
  private final InboxTable inbox;
  private final DeadLetterTable deadLetters;
  private boolean started;

  JdbiEnvelopeStore(
      Jdbi jdbi,
      AutoCloseable ownedPool,
      boolean ownsJdbi,
      String description,
      String schema,
      boolean migrate,
      Duration inboxRetention,
      Duration inboxPurgeInterval,
      String jtaRegistry,
      Duration statementTimeout) {
    this.jdbi = jdbi;
    this.ownedPool = ownedPool;
    this.description = description;
    this.schema = schema;
    this.migrate = migrate;
    this.transactions =
        Transactions.create(
            jdbi,
            jtaRegistry,
            ownsJdbi,
            description + ", schema '" + schema + "'",
            new Db(statementTimeout));
    this.deadLetters = new DeadLetterTable(schema, transactions);
    this.outbox = new OutboxTable(schema, transactions, deadLetters);
    this.gauges = new StoreGaugesQuery(schema, transactions);
    this.inbox = new InboxTable(schema, transactions, inboxRetention, inboxPurgeInterval);
  }

  public static JdbiEnvelopeStoreBuilder builder() {
    return new JdbiEnvelopeStoreBuilder();
  }

  /**
   * The SQL that creates the store's tables in {@code schema}, for DBAs who apply it themselves
   * (with {@link JdbiStoreKeys#MIGRATE} false). The same scripts ship as {@code
   * dev/ferry/jdbi/V<n>__ferry.sql} resources.
   */
  public static String migrationScript(String schema) {
    return SchemaMigrator.script(Identifiers.checkSchema(schema, JdbiStoreKeys.SCHEMA.name()));
  }

  /** The {@code Jdbi} the store uses; business code may use it too (it shares the pool). */
  public Jdbi jdbi() {
    return jdbi;
  }

  public String schema() {
    return schema;
  }

  /** Whether the store joins JTA transactions (a registry was found at construction). */
  public boolean joinsJta() {
    return transactions.joinsJta();
  }

  /**
   * Binds a handle of your own to this thread until the binding is closed: while the handle has a
   * transaction open, messages sent on this thread are written through it and leave when it commits
   * through JDBI ({@code handle.commit()} or the end of {@code jdbi.inTransaction}).
   *
   * <pre>{@code
   * jdbi.useTransaction(handle -> {
   *   try (var bound = store.bind(handle)) {
   *     handle.execute("insert into orders ...");
   *     bus.publish(new OrderPlaced(...));
   *   }
   * });
   * }</pre>
   *
   * <p>A handle committed through its JDBC connection instead still keeps the messages; they leave
   * when the relay finds them, after the outbox lease.
   */
  public HandleBinding bind(Handle handle) {
    return transactions.bind(Objects.requireNonNull(handle, "handle"))::close;
  }

  /** Undoes a {@link #bind(Handle)}; closing twice does nothing. */
  public interface HandleBinding extends AutoCloseable {
    @Override
    void close();
  }

  Transactions transactions() {
    return transactions;
  }

  @Override
  public boolean durable() {
    return true;
  }

  /** Installs or checks the schema ({@link JdbiStoreKeys#MIGRATE}). Later calls do nothing. */
  @Override
  public synchronized void start(String nodeId) {
    if (started) {
      return;
    }
    int version =
        call(
            "install its schema",
            () ->
                migrate
                    ? SchemaMigrator.migrate(transactions, schema)
                    : SchemaMigrator.verify(transactions, schema));
    started = true;
    log.info(
        "Ferry JDBI store ready: {}, schema '{}' at version {}{}",
        description,
        schema,
        version,
        transactions.joinsJta() ? ", joining JTA transactions" : "");
  }

  @Override
  public <T> T inTransaction(TransactionalWork<T> work) throws Exception {
    return transactions.inTransaction(work);
  }

  @Override
  public Optional<UnitOfWork> currentTransaction() {
    return transactions.current().map(UnitOfWork.class::cast);
  }

  @Override
  public void storeOutgoing(
      UnitOfWork uow, Collection<OutgoingEnvelope> envelopes, String owner, Instant leaseUntil) {
    var unit = transactions.unitOf(uow);
    write(
        unit,
        "store outgoing messages",
        () -> {
          outbox.store(unit, envelopes, owner, leaseUntil);
          return null;
        });
  }

  /**
   * Claims due messages in one committed statement, then purges the inbox if it is time. A claimed
   * row that cannot be read (its destination is not an address, its headers are not a JSON object
   * of strings) becomes a dead letter with reason {@code unreadable-outgoing-row} and endpoint the
   * row's destination text, and is removed from the outbox in the same transaction as the dead
   * letter is stored; the other rows are returned.
   */
  @Override
  public List<OutgoingEnvelope> claimOutgoing(
      String owner, int limit, Instant now, Duration lease) {
    List<OutgoingEnvelope> claimed =
        call("claim outgoing messages", () -> outbox.claim(owner, limit, now, lease));
    inbox.purgeIfDue(Instant.now());
    return claimed;
  }

  @Override
  public int deleteOutgoing(String owner, Collection<String> ids) {
    return call("delete sent messages", () -> outbox.delete(owner, ids));
  }

  @Override
  public int releaseOutgoing(String owner, Collection<String> ids, Instant notBefore) {
    return call("release outgoing messages", () -> outbox.release(owner, ids, notBefore));
  }

  @Override
  public StoreGauges gauges() {
    return call("read the store's gauges", gauges::read);
  }

  @Override
  public long outgoingCount() {
    return call("count outgoing messages", outbox::count);
  }

  /** {@code SELECT 1} on a connection of the store. */
  @Override
  public void ping() {
    call(
        "answer",
        () -> transactions.own(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()));
  }

  @Override
  public boolean recordIncoming(UnitOfWork uow, String endpoint, String messageId) {
    var unit = transactions.unitOf(uow);
    return write(
        unit,
        "record a handled message",
        () -> inbox.record(unit, endpoint, messageId, Instant.now()));
  }

  /** One statement for the whole batch; ids handled before are returned. */
  @Override
  public Set<String> recordIncoming(
      UnitOfWork uow, String endpoint, Collection<String> messageIds) {
    var unit = transactions.unitOf(uow);
    return write(
        unit,
        "record handled messages",
        () -> inbox.record(unit, endpoint, messageIds, Instant.now()));
  }

  /**
   * Deletes inbox rows handled before {@code olderThan}, {@code batchSize} per transaction, and
   * returns how many. The relay also calls this every {@link JdbiStoreKeys#INBOX_PURGE_INTERVAL}
   * with the configured retention; call it yourself from a timer if no relay runs.
   */
  public int purgeInbox(Instant olderThan, int batchSize) {
    return call("purge the inbox", () -> inbox.purge(olderThan, batchSize, Integer.MAX_VALUE));
  }

  @Override
  public void storeDeadLetter(DeadLetter deadLetter) {
    DeadLetter storable = Storable.deadLetter(deadLetter);
    call(
        "store a dead letter",
        () -> {
          deadLetters.store(storable);
          return null;
        });
  }

  /** A NUL character, a date outside PostgreSQL's range, or an id over the index key limit. */
  @Override
  public String unstorable(Envelope envelope) {
    return Storable.why(envelope);
  }

  @Override
  public List<DeadLetter> deadLetters(DeadLetterQuery query) {
    return call("list dead letters", () -> deadLetters.list(query));
  }

  @Override
  public Optional<DeadLetter> deadLetter(String id) {
    return call("find a dead letter", () -> deadLetters.find(id));
  }

  @Override
  public boolean deleteDeadLetter(UnitOfWork uow, String id) {
    var unit = transactions.unitOf(uow);
    return write(unit, "delete a dead letter", () -> deadLetters.delete(unit, id));
  }

  @Override
  public long deadLetterCount() {
    return call("count dead letters", deadLetters::count);
  }

  @Override
  public long purgeDeadLetters(DeadLetterQuery query) {
    return call("purge dead letters", () -> deadLetters.purge(query));
  }

  /** Closes the pool the store created; a given data source or {@code Jdbi} stays open. */
  @Override
  public void close() {
    if (ownedPool != null) {
      try {
        ownedPool.close();
      } catch (Exception e) {
        log.warn("Closing the Ferry store's connection pool failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbiEnvelopeStore{" + description + ", schema=" + schema + "}";
  }

  /**
   * Runs a statement in the caller's unit of work; if it fails, the transaction cannot commit (see
   * {@link Transactions#writeFailed}).
   */
  private <T> T write(JdbiUnitOfWork unit, String what, Supplier<T> operation) {
    try {
      return call(what, operation);
    } catch (RuntimeException e) {
      transactions.writeFailed(unit, e);
      throw e;
    }
  }

  /** Runs a store operation; database failures name the operation, database and schema. */
  private <T> T call(String what, Supplier<T> operation) {
    try {
      return operation.get();
    } catch (JdbiException e) {
      throw transactions.failure(what, e);
    }
  }
}
