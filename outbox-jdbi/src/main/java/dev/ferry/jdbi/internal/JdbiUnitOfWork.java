package dev.ferry.jdbi.internal;

import dev.ferry.spi.UnitOfWork;
import java.sql.Connection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A unit of work on one JDBI {@link Handle} with an open transaction: one the store began, the
 * caller's bound handle, or a handle enlisted in the caller's JTA transaction. Handlers can ask for
 * the {@link Handle}, its {@link Connection} or its {@link Jdbi}.
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
