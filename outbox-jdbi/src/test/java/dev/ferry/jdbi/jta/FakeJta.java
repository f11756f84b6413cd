package dev.ferry.jdbi.jta;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.spi.InitialContextFactory;
import javax.sql.DataSource;

/**
 * A small stand-in for a container's transaction manager, enough to test joining JTA without an app
 * server: one transaction per thread, a registry bound in JNDI, and a data source whose connections
 * are enlisted (shared, autocommit off, commit and rollback refused) while a transaction is active,
 * as an app server's are.
 */
public final class FakeJta implements TransactionSynchronizationRegistry {
  static final String JNDI_NAME = "java:comp/TransactionSynchronizationRegistry";
  static volatile FakeJta bound;

  private final ThreadLocal<Tx> current = new ThreadLocal<>();

  private static final class Tx {
    int status = Status.STATUS_ACTIVE;
    final Map<Object, Object> resources = new HashMap<>();
    final List<Synchronization> synchronizations = new ArrayList<>();
    Connection connection;
  }

  /** JNDI: answers {@link #JNDI_NAME} with the bound registry. */
  public static final class ContextFactory implements InitialContextFactory {
    @Override
    public Context getInitialContext(Hashtable<?, ?> environment) {
      return (Context)
          Proxy.newProxyInstance(
              FakeJta.class.getClassLoader(),
              new Class<?>[] {Context.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "lookup":
                    if (bound != null && JNDI_NAME.equals(String.valueOf(args[0]))) {
                      return bound;
                    }
                    throw new NameNotFoundException(String.valueOf(args[0]));
                  case "close":
                    return null;
                  default:
                    throw new UnsupportedOperationException(method.getName());
                }
              });
    }
  }

  public void begin() {
    if (current.get() != null) {
      throw new IllegalStateException("nested");
    }
    current.set(new Tx());
  }

  /** Commits, or rolls back and returns false if the transaction was marked rollback-only. */
  public boolean commit() throws SQLException {
    Tx tx = tx();
    if (tx.status == Status.STATUS_MARKED_ROLLBACK) {
      rollback();
      return false;
    }
    try {
      for (Synchronization s : List.copyOf(tx.synchronizations)) {
        s.beforeCompletion();
      }
    } catch (RuntimeException e) {
      // As a transaction manager does: a failing synchronization rolls the transaction back, and
      // the commit reports it.
      rollback();
      throw e;
    }
    if (tx.connection != null) {
      tx.connection.commit();
    }
    finish(tx, Status.STATUS_COMMITTED);
    return true;
  }

  public void rollback() throws SQLException {
    Tx tx = tx();
    if (tx.connection != null) {
      tx.connection.rollback();
    }
    finish(tx, Status.STATUS_ROLLEDBACK);
  }

  private void finish(Tx tx, int status) throws SQLException {
    current.remove();
    tx.status = status;
    for (Synchronization s : tx.synchronizations) {
      s.afterCompletion(status);
    }
    if (tx.connection != null) {
      tx.connection.close();
    }
  }

  private Tx tx() {
    Tx tx = current.get();
    if (tx == null) {
      throw new IllegalStateException("No transaction");
    }
    return tx;
  }

  /** Connections from {@code real}, enlisted in the thread's transaction while one is active. */
  public DataSource enlisting(DataSource real) {
    return (DataSource)
        Proxy.newProxyInstance(
            FakeJta.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Tx tx = current.get();
              if (method.getName().equals("getConnection") && tx != null) {
                if (tx.connection == null) {
                  tx.connection = real.getConnection();
                  tx.connection.setAutoCommit(false);
                }
                return managed(tx.connection);
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static Connection managed(Connection c) {
    return (Connection)
        Proxy.newProxyInstance(
            FakeJta.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close":
                  return null; // the transaction keeps it
                case "commit":
                case "rollback":
                  throw new SQLException("cannot " + method.getName() + " a managed transaction");
                case "setAutoCommit":
                  if (Boolean.TRUE.equals(args[0])) {
                    throw new SQLException("cannot set autocommit during a managed transaction");
                  }
                  return null;
                default:
                  try {
                    return method.invoke(c, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }

  @Override
  public Object getTransactionKey() {
    return current.get();
  }

  @Override
  public void putResource(Object key, Object value) {
    tx().resources.put(key, value);
  }

  @Override
  public Object getResource(Object key) {
    return tx().resources.get(key);
  }

  @Override
  public void registerInterposedSynchronization(Synchronization sync) {
    tx().synchronizations.add(sync);
  }

  @Override
  public int getTransactionStatus() {
    Tx tx = current.get();
    return tx == null ? Status.STATUS_NO_TRANSACTION : tx.status;
  }

  @Override
  public void setRollbackOnly() {
    tx().status = Status.STATUS_MARKED_ROLLBACK;
  }

  @Override
  public boolean getRollbackOnly() {
    return tx().status == Status.STATUS_MARKED_ROLLBACK;
  }
}
