package dev.ferry.jdbi.internal;

import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.UnitOfWork;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A unit of work on one JDBI {@link Handle} with an open transaction: one the store began, the
 * caller's bound handle, or a handle enlisted in the caller's JTA transaction. Handlers can ask for
 * the {@link Handle}, its {@link Connection} or its {@link Jdbi}.
 *
 * <p>Outgoing rows of a transaction the store sees the end of (its own, a JTA transaction) wait
 * here and are written in one batch just before the commit ({@link Transactions#writePending}): one
 * round trip per transaction instead of one per {@code bus.send}.
 */
public final class JdbiUnitOfWork implements UnitOfWork {
  /** Whose transaction it is. */
  enum Kind {
    /** Begun and committed by the store ({@code FerryJdbi.inTransaction}, a handler's). */
    STORE,
    /** The caller's handle, bound with {@code store.bind(handle)}. */
    BOUND,
    /** The thread's JTA transaction. */
    JTA
  }

  private final Transactions owner;
  private final Handle handle;
  private final Consumer<Runnable> afterCommit;
  private final Kind kind;
  private volatile RuntimeException failedWrite;

  /** Outgoing rows waiting for the commit, one per id (a later store of an id replaces it). */
  private final Map<String, PendingRow> pending = new LinkedHashMap<>();

  private PendingWriter writer;

  JdbiUnitOfWork(Transactions owner, Handle handle, Consumer<Runnable> afterCommit, Kind kind) {
    this.owner = owner;
    this.handle = Objects.requireNonNull(handle, "handle");
    this.afterCommit = afterCommit;
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /**
   * Records that a statement of the store failed in this transaction; PostgreSQL has then aborted
   * it, so it must not look committed. Returns false if one had failed before.
   */
  boolean writeFailed(RuntimeException failure) {
    if (failedWrite != null) {
      return false;
    }
    failedWrite = failure;
    return true;
  }

  /** The store statement that failed in this transaction, or null. */
  RuntimeException failedWrite() {
    return failedWrite;
  }

  /**
   * Whether outgoing rows may wait for the commit: not on a bound handle, whose commit the store
   * cannot see coming (JDBI has no hook before a handle's commit), so its rows are written at once.
   */
  boolean buffersWrites() {
    return kind != Kind.BOUND;
  }

  /** Keeps rows to be written by {@code writer} just before the commit. */
  synchronized void buffer(
      PendingWriter writer,
      Collection<OutgoingEnvelope> envelopes,
      String rowOwner,
      Instant leaseUntil) {
    this.writer = writer;
    for (OutgoingEnvelope e : envelopes) {
      PendingRow row = new PendingRow(e, rowOwner, leaseUntil);
      pending.remove(row.id()); // a replaced row goes where the last store put it
      pending.put(row.id(), row);
    }
  }

  /**
   * Writes the rows waiting for the commit, if any, and forgets them; with {@code commit} the
   * writer may commit the transaction with them (see {@link PendingWriter#write}).
   */
  void writePending(boolean commit) {
    List<PendingRow> rows;
    PendingWriter w;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      rows = new ArrayList<>(pending.values());
      pending.clear();
      w = writer;
    }
    w.write(handle, rows, commit);
  }

  /** An outgoing row waiting for the commit, with its id (built anew by each {@code id()}). */
  record PendingRow(String id, OutgoingEnvelope envelope, String owner, Instant leaseUntil) {
    PendingRow(OutgoingEnvelope envelope, String owner, Instant leaseUntil) {
      this(envelope.id(), envelope, owner, leaseUntil);
    }
  }

  /** Writes waiting rows on the transaction's handle. */
  @FunctionalInterface
  interface PendingWriter {
    /**
     * Writes {@code rows}; with {@code mayCommit} (the caller commits right after) it may commit
     * the transaction in the same round trip, after which the caller's commit finds nothing to do.
     */
    void write(Handle handle, List<PendingRow> rows, boolean mayCommit);
  }

  /** The handle the store's statements run on. */
  public Handle handle() {
    return handle;
  }

  Transactions owner() {
    return owner;
  }

  /**
   * Runs {@code action} after the commit; never after a rollback, nor after a "commit" that
   * PostgreSQL turned into a rollback because a store statement had failed in the transaction.
   */
  @Override
  public void afterCommit(Runnable action) {
    Objects.requireNonNull(action, "action");
    afterCommit.accept(
        () -> {
          if (failedWrite == null) {
            action.run();
          }
        });
  }

  @Override
  public <T> Optional<T> resource(Class<T> type) {
    if (type.isInstance(handle)) {
      return Optional.of(type.cast(handle));
    }
    if (type == Connection.class) {
      return Optional.of(type.cast(handle.getConnection()));
    }
    if (type == Jdbi.class) {
      return Optional.of(type.cast(handle.getJdbi()));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "JdbiUnitOfWork{" + handle + "}";
  }
}
