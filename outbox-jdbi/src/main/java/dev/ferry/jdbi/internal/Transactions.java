package dev.ferry.jdbi.internal;

import dev.ferry.FerryException;
import dev.ferry.spi.EnvelopeStore.TransactionalWork;
import dev.ferry.spi.UnitOfWork;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the store's statements run: the caller's transaction (a handle bound to this thread, or the
 * thread's JTA transaction), a transaction the store begins for a unit of work, or a short
 * transaction of the store's own (claims, deletes, dead letters) that commits before returning.
 */
public final class Transactions {
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);

  private final Jdbi jdbi;
  private final JtaBridge jta;
  private final ForeignTransactions foreign;
  private final String where;
  private final Db db;
  private final ThreadLocal<Binding> bound = new ThreadLocal<>();

  private Transactions(Jdbi jdbi, JtaBridge jta, ForeignTransactions foreign, String where, Db db) {
    this.jdbi = jdbi;
    this.jta = jta;
    this.foreign = foreign;
    this.where = where;
    this.db = db;
  }

  /** The store's statements, with its statement timeout. */
  Db db() {
    return db;
  }

  /**
   * Transactions on {@code jdbi}. JTA transactions are joined when a registry is bound under {@code
   * jtaJndiName} ("none" disables the lookup); when {@code installJtaHandler} is set (the store
   * created this {@code Jdbi}), the JTA-aware transaction handler is installed on it.
   */
  public static Transactions create(
      Jdbi jdbi, String jtaJndiName, boolean installJtaHandler, String where, Db db) {
    JtaBridge jta = JtaBridge.lookup(jtaJndiName).orElse(null);
    if (jta != null && installJtaHandler) {
      jdbi.setTransactionHandler(jta.transactionHandler());
    }
    return new Transactions(jdbi, jta, ForeignTransactions.detect(), where, db);
  }

  /**
   * A database failure of the store as a {@link FerryException} naming the operation, the database
   * (without credentials) and the schema, and the root cause.
   */
  public FerryException failure(String what, JdbiException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root.getMessage() != null ? root.getMessage() : root.toString();
    return new FerryException(
        "Ferry JDBI store could not " + what + " (" + where + "): " + cause, e);
  }

  public boolean joinsJta() {
    return jta != null;
  }

  /**
   * The caller's transaction this store can join on this thread, if any: a bound handle in a
   * transaction (begun through JDBI or with auto-commit off), or the thread's JTA transaction.
   * Empty means the caller has no transaction, and work runs in one of the store's own; a
   * transaction the store can neither join nor see the end of (a Spring-managed one) fails instead,
   * since work committed on its own would not follow it.
   */
  public Optional<JdbiUnitOfWork> current() {
    Binding b = bound.get();
    if (b != null && !b.handle.isClosed() && b.handle.isInTransaction()) {
      return Optional.of(b.uow);
    }
    if (jta != null) {
      Optional<JdbiUnitOfWork> joined;
      try {
        joined = jta.current(this, jdbi);
      } catch (JdbiException e) {
        throw failure("join the JTA transaction", e);
      }
      if (joined.isPresent()) {
        return joined;
      }
    }
    foreign.refuseIfActive(where);
    return Optional.empty();
  }

  /**
   * Runs {@code work} in the caller's transaction if there is one (propagation "required"), else in
   * a new transaction that is committed before the after-commit actions run.
   */
  public <T> T inTransaction(TransactionalWork<T> work) throws Exception {
    return inUnitOfWork((Work<T, Exception>) work::run);
  }

  /** Like {@link #inTransaction(TransactionalWork)}, throwing only what {@code work} throws. */
  public <T, X extends Exception> T inUnitOfWork(Work<T, X> work) throws X {
    Binding b = bound.get();
    Optional<JdbiUnitOfWork> ambient = current();
    if (ambient.isPresent()) {
      boolean jtaOnly = b == null || ambient.get() != b.uow;
      try {
        return work.run(ambient.get());
      } catch (Throwable t) {
        if (jtaOnly && jta.active()) {
          jta.setRollbackOnly();
        }
        throw t;
      }
    }
    List<Runnable> actions = new ArrayList<>();
    T result;
    Handle handle = open();
    try {
      JdbiUnitOfWork uow =
          new JdbiUnitOfWork(this, handle, actions::add, JdbiUnitOfWork.Kind.STORE);
      Binding binding = push(handle, uow);
      try {
        try {
          handle.begin();
        } catch (JdbiException e) {
          throw failure("begin a transaction", e);
        }
        result = work.run(uow);
        if (uow.failedWrite() != null) {
          throw notCommitted(uow.failedWrite());
        }
        writePending(uow, true);
        try {
          handle.commit(); // may find the transaction committed with the rows: then a no-op
        } catch (JdbiException e) {
          throw failure("commit a transaction", e);
        }
      } catch (Throwable t) {
        rollbackQuietly(handle, t);
        throw t;
      } finally {
        binding.close();
      }
    } finally {
      closeQuietly(handle);
    }
    runAll(actions);
    return result;
  }

  /**
   * Runs one statement of the store's bookkeeping (a claim, a delete after a send, a release, a
   * purge) in a transaction of its own. Outside JTA it runs in auto-commit, one round trip (or in a
   * transaction of its own if the connection does not auto-commit), and gets {@code asynchronous}
   * true: the statement is then expected to turn {@code synchronous_commit} off for itself ({@link
   * StoreSql#async}), so that it commits without waiting for the WAL flush. A database crash may
   * undo the last fraction of a second of such statements, which only means a message is sent again
   * (the receiver's inbox recognises it) or claimed later, never that one is lost; writes that
   * carry a message (the outbox row in the caller's transaction, the inbox row, a dead letter) stay
   * synchronous. Inside JTA the statement joins the container's transaction, with {@code
   * asynchronous} false.
   */
  public <T> T bookkeeping(Bookkeeping<T> statement) {
    if (jta != null && jta.active()) {
      return own(h -> statement.run(h, false));
    }
    Handle handle = jdbi.open(); // a failure is reported by the caller, naming its operation
    try {
      if (!handle.getConnection().getAutoCommit()) {
        // A pool that hands out connections in manual-commit mode: a transaction of its own.
        closeQuietly(handle);
        handle = null;
        return own(h -> statement.run(h, true));
      }
      return statement.run(handle, true);
    } catch (SQLException e) {
      throw new ConnectionException(e);
    } finally {
      if (handle != null) {
        closeQuietly(handle);
      }
    }
  }

  /** One statement of bookkeeping; see {@link #bookkeeping}. */
  @FunctionalInterface
  public interface Bookkeeping<T> {
    T run(Handle handle, boolean asynchronous);
  }

  /**
   * Runs {@code callback} in a short transaction of the store's own, committed before returning. It
   * never joins a bound handle; inside JTA it joins the container's transaction.
   */
  public <T> T own(HandleCallback<T, RuntimeException> callback) {
    boolean managed = jta != null && jta.active();
    if (managed) {
      // It reads and writes in the JTA transaction: what that transaction keeps for its commit is
      // written first, so that the statement sees it (as a JPA flush before a query).
      Optional<JdbiUnitOfWork> joined = jta.existing(this);
      if (joined.isPresent()) {
        writePending(joined.get(), false);
      }
    }
    Handle handle = jdbi.open(); // a failure is reported by the caller, naming its operation
    try {
      if (!managed) {
        handle.begin();
      }
      T result = callback.withHandle(handle);
      if (!managed) {
        handle.commit();
      }
      return result;
    } catch (RuntimeException | Error e) {
      if (managed) {
        jta.setRollbackOnly();
      } else {
        rollbackQuietly(handle, e);
      }
      throw e;
    } finally {
      closeQuietly(handle);
    }
  }

  private Handle open() {
    try {
      return jdbi.open();
    } catch (JdbiException e) {
      throw failure("get a database connection", e);
    }
  }

  /**
   * Binds the caller's handle to this thread until the returned binding is closed; while the handle
   * has a transaction open, the store joins it. After-commit actions run when the handle commits
   * through JDBI ({@link Handle#commit()}, {@code Jdbi#inTransaction}).
   */
  public Binding bind(Handle handle) {
    JdbiUnitOfWork uow =
        new JdbiUnitOfWork(
            this,
            handle,
            action -> {
              if (jta != null && jta.active()) {
                jta.afterCommit(action);
              } else {
                handle.afterCommit(() -> runAll(List.of(action)));
              }
            },
            JdbiUnitOfWork.Kind.BOUND);
    return push(handle, uow);
  }

  /**
   * A statement of the store failed in {@code uow}: PostgreSQL has aborted the transaction, and a
   * commit would silently roll it back (pgjdbc does not report that). Make sure the caller hears of
   * it even if the exception was swallowed: the store refuses to commit its own transaction, a JTA
   * transaction is marked rollback-only, and the commit of a bound handle throws.
   */
  public void writeFailed(JdbiUnitOfWork uow, RuntimeException failure) {
    if (!uow.writeFailed(failure)) {
      return;
    }
    if (uow.kind() != JdbiUnitOfWork.Kind.STORE && jta != null && jta.active()) {
      jta.setRollbackOnly();
    } else if (uow.kind() == JdbiUnitOfWork.Kind.BOUND) {
      uow.handle()
          .afterCommit(
              () -> {
                throw notCommitted(failure);
              });
    }
  }

  /**
   * Writes the outgoing rows {@code uow} kept for its commit, in one batch; called just before the
   * commit (of the store's transaction, or of the JTA transaction in its synchronization). If the
   * write fails, the transaction must not commit: the failure is recorded as any failed store
   * statement is, and thrown as the reason the transaction was not committed. With {@code
   * commitNext} the caller commits right after, and the rows may carry the commit with them.
   */
  void writePending(JdbiUnitOfWork uow, boolean commitNext) {
    try {
      uow.writePending(commitNext);
    } catch (RuntimeException e) {
      RuntimeException failure =
          e instanceof JdbiException j ? failure("store outgoing messages", j) : e;
      uow.writeFailed(failure);
      throw notCommitted(failure);
    }
  }

  private FerryException notCommitted(RuntimeException failure) {
    return new FerryException(
        "Ferry JDBI store: the transaction was not committed ("
            + where
            + "): a statement of the store failed in it, so PostgreSQL aborted it: "
            + failure.getMessage(),
        failure);
  }

  /** The store's unit of work behind {@code uow}; fails clearly for a foreign one. */
  public JdbiUnitOfWork unitOf(UnitOfWork uow) {
    if (uow instanceof JdbiUnitOfWork j && j.owner() == this) {
      return j;
    }
    throw new IllegalArgumentException(
        "This unit of work does not belong to this JDBI store: " + uow);
  }

  private Binding push(Handle handle, JdbiUnitOfWork uow) {
    Binding b = new Binding(handle, uow, bound.get(), Thread.currentThread());
    bound.set(b);
    return b;
  }

  /** Runs after-commit actions; a failing one is logged and does not stop the others. */
  static void runAll(List<Runnable> actions) {
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.warn("After-commit action failed; the outbox relay sends what it left", e);
      }
    }
  }

  private static void rollbackQuietly(Handle handle, Throwable cause) {
    try {
      handle.rollback();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void closeQuietly(Handle handle) {
    try {
      handle.close();
    } catch (RuntimeException e) {
      log.warn("Closing a store handle failed", e);
    }
  }

  /** Work in a unit of work of this store. */
  @FunctionalInterface
  public interface Work<T, X extends Exception> {
    T run(JdbiUnitOfWork uow) throws X;
  }

  /** A handle bound to one thread; closing it restores what was bound before. */
  public final class Binding implements AutoCloseable {
    private final Handle handle;
    private final JdbiUnitOfWork uow;
    private final Binding previous;
    private final Thread thread;
    private boolean closed;

    private Binding(Handle handle, JdbiUnitOfWork uow, Binding previous, Thread thread) {
      this.handle = handle;
      this.uow = uow;
      this.previous = previous;
      this.thread = thread;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      if (Thread.currentThread() != thread) {
        throw new IllegalStateException(
            "A handle binding must be closed by the thread that made it");
      }
      closed = true;
      if (bound.get() != this) {
        log.warn("Handle bindings closed out of order; the binding made last is kept");
        return;
      }
      Binding restored = previous;
      while (restored != null && restored.closed) {
        restored = restored.previous;
      }
      if (restored == null) {
        bound.remove();
      } else {
        bound.set(restored);
      }
    }
  }
}
