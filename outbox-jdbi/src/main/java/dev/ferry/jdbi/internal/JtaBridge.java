package dev.ferry.jdbi.internal;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionHandler;

/**
 * What the store needs from JTA, without naming a {@code jakarta.transaction} type, so that the
 * store's classes load where JTA is absent. The one implementation is loaded reflectively.
 */
interface JtaBridge {

  /** Whether the calling thread has a JTA transaction the store must join. */
  boolean active();

  /**
   * The unit of work of the calling thread's JTA transaction: one handle per transaction and store,
   * opened on first use and closed when the transaction completes.
   */
  Optional<JdbiUnitOfWork> current(Transactions owner, Jdbi jdbi);

  /** The unit of work the store already has in the calling thread's JTA transaction, if any. */
  Optional<JdbiUnitOfWork> existing(Transactions owner);

  /** Runs {@code action} after the current JTA transaction commits; never after a rollback. */
  void afterCommit(Runnable action);

  /** Marks the current JTA transaction rollback-only. */
  void setRollbackOnly();

  /** A JDBI transaction handler that leaves JTA transactions to the container. */
  TransactionHandler transactionHandler();

  /** Finds the registry under {@code jndiName}; empty if JTA or the name is not available. */
  static Optional<JtaBridge> lookup(String jndiName) {
    if (jndiName == null || jndiName.isBlank() || jndiName.equalsIgnoreCase("none")) {
      return Optional.empty();
    }
    try {
      Class.forName(
          "jakarta.transaction.TransactionSynchronizationRegistry",
          false,
          JtaBridge.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
    try {
      Object bridge =
          Class.forName("dev.ferry.jdbi.internal.JtaTransactions")
              .getDeclaredMethod("lookup", String.class)
              .invoke(null, jndiName);
      return Optional.ofNullable((JtaBridge) bridge);
    } catch (ReflectiveOperationException | LinkageError e) {
      return Optional.empty();
    }
  }
}
