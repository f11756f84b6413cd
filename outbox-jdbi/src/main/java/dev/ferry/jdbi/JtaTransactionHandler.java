package dev.ferry.jdbi;

import dev.ferry.ConfigurationException;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;
import java.util.Objects;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.LocalTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * A JDBI {@link TransactionHandler} for code that runs both inside and outside container-managed
 * JTA transactions (a WAR's {@code @Transactional} beans, MDBs, and their background threads).
 *
 * <p>While the calling thread has an active JTA transaction, the container owns it: {@code begin}
 * and {@code commit} do nothing, {@code rollback} marks the JTA transaction rollback-only, and
 * {@link Handle#isInTransaction()} is true, so {@code jdbi.inTransaction(...)} simply runs its
 * callback and an exception escaping it rolls the container's transaction back when it leaves the
 * transactional method. Outside JTA every call goes to JDBI's {@link LocalTransactionHandler}.
 *
 * <p>Unlike JDBI's {@code CMTTransactionHandler}, this is safe on code paths without JTA: a failing
 * {@code useTransaction} there rolls back as usual. The store installs it on the {@code Jdbi} it
 * creates when a registry is found; install it on your own {@code Jdbi} with {@code
 * jdbi.setTransactionHandler(new JtaTransactionHandler())}.
 *
 * <p>{@link Handle#afterCommit(Runnable)} callbacks fire on the handle's (no-op) commit, not on the
 * JTA commit; use a {@code Synchronization} or Ferry's unit of work for after-commit work.
 */
public final class JtaTransactionHandler implements TransactionHandler {
  /** Where Jakarta EE containers bind the registry. */
  public static final String DEFAULT_JNDI_NAME = "java:comp/TransactionSynchronizationRegistry";

  private final TransactionSynchronizationRegistry registry;
  private final LocalTransactionHandler local = LocalTransactionHandler.binding();
  private final Bound unbound;

  /** Looks the registry up under {@link #DEFAULT_JNDI_NAME}; fails if it is not bound. */
  public JtaTransactionHandler() {
    this(lookup(DEFAULT_JNDI_NAME));
  }

  public JtaTransactionHandler(TransactionSynchronizationRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.unbound = new Bound(registry, local);
  }

  private static TransactionSynchronizationRegistry lookup(String name) {
    try {
      InitialContext context = new InitialContext();
      try {
        return (TransactionSynchronizationRegistry) context.lookup(name);
      } finally {
        context.close();
      }
    } catch (NamingException | ClassCastException e) {
      throw new ConfigurationException(
          "No JTA TransactionSynchronizationRegistry is bound at " + name + ": " + e, e);
    }
  }

  /** Whether the calling thread has a JTA transaction (active or marked rollback-only). */
  public boolean jtaActive() {
    return unbound.jta();
  }

  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    return new Bound(registry, local.specialize(handle));
  }

  @Override
  public void begin(Handle handle) {
    unbound.begin(handle);
  }

  @Override
  public void commit(Handle handle) {
    unbound.commit(handle);
  }

  @Override
  public void rollback(Handle handle) {
    unbound.rollback(handle);
  }

  @Override
  public boolean isInTransaction(Handle handle) {
    return unbound.isInTransaction(handle);
  }

  @Override
  public void savepoint(Handle handle, String savepointName) {
    unbound.savepoint(handle, savepointName);
  }

  @Override
  public void rollbackToSavepoint(Handle handle, String savepointName) {
    unbound.rollbackToSavepoint(handle, savepointName);
  }

  @Override
  public void releaseSavepoint(Handle handle, String savepointName) {
    unbound.releaseSavepoint(handle, savepointName);
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    return unbound.inTransaction(handle, callback);
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    return unbound.inTransaction(handle, level, callback);
  }

  /** The JTA check in front of a local handler (per handle, or JDBI's shared one). */
  private static final class Bound implements TransactionHandler {
    private final TransactionSynchronizationRegistry registry;
    private final TransactionHandler local;

    Bound(TransactionSynchronizationRegistry registry, TransactionHandler local) {
      this.registry = registry;
      this.local = local;
    }

    boolean jta() {
      int status = registry.getTransactionStatus();
      return status == Status.STATUS_ACTIVE || status == Status.STATUS_MARKED_ROLLBACK;
    }

    @Override
    public void begin(Handle handle) {
      if (!jta()) {
        local.begin(handle);
      }
    }

    @Override
    public void commit(Handle handle) {
      if (!jta()) {
        local.commit(handle);
      }
    }

    @Override
    public void rollback(Handle handle) {
      if (jta()) {
        registry.setRollbackOnly();
      } else {
        local.rollback(handle);
      }
    }

    @Override
    public boolean isInTransaction(Handle handle) {
      return jta() || local.isInTransaction(handle);
    }

    @Override
    public void savepoint(Handle handle, String savepointName) {
      local.savepoint(handle, savepointName);
    }

    @Override
    public void rollbackToSavepoint(Handle handle, String savepointName) {
      local.rollbackToSavepoint(handle, savepointName);
    }

    @Override
    public void releaseSavepoint(Handle handle, String savepointName) {
      local.releaseSavepoint(handle, savepointName);
    }

    @Override
    public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
        throws X {
      if (!jta()) {
        return local.inTransaction(handle, callback);
      }
      try {
        return callback.withHandle(handle);
      } catch (Throwable t) {
        registry.setRollbackOnly();
        throw t;
      }
    }

    @Override
    public <R, X extends Exception> R inTransaction(
        Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
      return jta() ? inTransaction(handle, callback) : local.inTransaction(handle, level, callback);
    }
  }
}
