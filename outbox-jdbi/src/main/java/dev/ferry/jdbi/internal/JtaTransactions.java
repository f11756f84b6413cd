package dev.ferry.jdbi.internal;

import dev.ferry.FerryException;
import dev.ferry.jdbi.JtaTransactionHandler;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the container's JTA transactions through the {@link TransactionSynchronizationRegistry}.
 * Loaded only through {@link JtaBridge#lookup(String)}, after the JTA API was found.
 */
final class JtaTransactions implements JtaBridge {
  private static final Logger log = LoggerFactory.getLogger(JtaTransactions.class);

  private final TransactionSynchronizationRegistry registry;

  private JtaTransactions(TransactionSynchronizationRegistry registry) {
    this.registry = registry;
  }

  /** Called reflectively; null when nothing is bound under the name. */
  static JtaBridge lookup(String jndiName) {
    try {
      InitialContext context = new InitialContext();
      try {
        Object found = context.lookup(jndiName);
        if (found instanceof TransactionSynchronizationRegistry r) {
          log.debug("Joining JTA transactions through {}", jndiName);
          return new JtaTransactions(r);
        }
        return null;
      } finally {
        context.close();
      }
    } catch (NamingException | RuntimeException e) {
      log.debug("No JTA TransactionSynchronizationRegistry at {}: {}", jndiName, e.toString());
      return null;
    }
  }

  @Override
  public boolean active() {
    int status = registry.getTransactionStatus();
    return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
  }

  @Override
  public Optional<JdbiUnitOfWork> current(Transactions owner, Jdbi jdbi) {
    int status = registry.getTransactionStatus();
    if (status != Status.STATUS_ACTIVE && status != Status.STATUS_MARKED_ROLLBACK) {
      return Optional.empty();
    }
    Object existing = registry.getResource(owner);
    if (existing instanceof JdbiUnitOfWork uow) {
      return Optional.of(uow);
    }
    if (status == Status.STATUS_MARKED_ROLLBACK) {
      throw new FerryException(
          "The JTA transaction on this thread is marked rollback-only; nothing written in it"
              + " would be kept");
    }
    List<Runnable> actions = new ArrayList<>();
    Handle handle = jdbi.open();
    JdbiUnitOfWork uow = new JdbiUnitOfWork(owner, handle, actions::add, JdbiUnitOfWork.Kind.JTA);
    try {
      if (handle.getConnection().getAutoCommit()) {
        // An enlisted connection never auto-commits; this one would commit every row at once,
        // whatever the JTA transaction does.
        throw new FerryException(
            "A JTA transaction is active but the store's connection is not enlisted in it"
                + " (auto-commit is on): give the store the container's data source, or set"
                + " ferry.store.jta-registry=none");
      }
      registry.registerInterposedSynchronization(new Completion(uow, actions));
      registry.putResource(owner, uow);
    } catch (SQLException e) {
      handle.close();
      throw new FerryException("Cannot join the JTA transaction: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      handle.close();
      throw e;
    }
    return Optional.of(uow);
  }

  @Override
  public Optional<JdbiUnitOfWork> existing(Transactions owner) {
    return registry.getResource(owner) instanceof JdbiUnitOfWork uow
        ? Optional.of(uow)
        : Optional.empty();
  }

  @Override
  public void afterCommit(Runnable action) {
    registry.registerInterposedSynchronization(new Completion(null, List.of(action)));
  }

  @Override
  public void setRollbackOnly() {
    registry.setRollbackOnly();
  }

  @Override
  public TransactionHandler transactionHandler() {
    return new JtaTransactionHandler(registry);
  }

  /**
   * Writes the transaction's buffered outgoing rows before it completes; closes its handle, then
   * runs the after-commit actions if it committed.
   */
  private final class Completion implements Synchronization {
    private final JdbiUnitOfWork uow;
    private final List<Runnable> actions;

    Completion(JdbiUnitOfWork uow, List<Runnable> actions) {
      this.uow = uow;
      this.actions = actions;
    }

    /**
     * Interposed synchronizations run after the application's and before the resources prepare,
     * with the connection still enlisted: the rows commit atomically with the transaction. If they
     * cannot be written, the transaction is marked rollback-only and the exception makes the
     * container roll it back and report it to whoever commits.
     */
    @Override
    public void beforeCompletion() {
      if (uow == null || registry.getTransactionStatus() != Status.STATUS_ACTIVE) {
        return;
      }
      try {
        uow.owner().writePending(uow, false);
      } catch (RuntimeException e) {
        registry.setRollbackOnly();
        throw e;
      }
    }

    @Override
    public void afterCompletion(int status) {
      if (uow != null) {
        try {
          uow.handle().close();
        } catch (RuntimeException e) {
          log.debug("Closing the handle of a completed JTA transaction failed", e);
        }
      }
      if (status == Status.STATUS_COMMITTED) {
        Transactions.runAll(actions);
      }
    }
  }
}
