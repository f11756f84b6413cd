package dev.ferry.jdbi.internal;

import dev.ferry.FerryException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transactions on the calling thread that the store can neither join nor see the end of: today a
 * Spring-managed one ({@code TransactionSynchronizationManager.isActualTransactionActive()}), found
 * reflectively so that Spring stays optional. A send in such a transaction, made in a transaction
 * of the store's own, would commit its outbox row whatever the caller's transaction then does; the
 * store refuses it instead.
 */
final class ForeignTransactions {
  private static final Logger log = LoggerFactory.getLogger(ForeignTransactions.class);
  private static final String SPRING =
      "org.springframework.transaction.support.TransactionSynchronizationManager";

  /** {@code static boolean isActualTransactionActive()}, or null without Spring. */
  private final MethodHandle springActive;

  private ForeignTransactions(MethodHandle springActive) {
    this.springActive = springActive;
  }

  /** Looks for Spring's transaction synchronization where the store's classes see it. */
  static ForeignTransactions detect() {
    for (ClassLoader loader :
        new ClassLoader[] {
          ForeignTransactions.class.getClassLoader(), Thread.currentThread().getContextClassLoader()
        }) {
      if (loader == null) {
        continue;
      }
      try {
        Class<?> manager = Class.forName(SPRING, true, loader);
        MethodHandle active =
            MethodHandles.publicLookup()
                .findStatic(
                    manager, "isActualTransactionActive", MethodType.methodType(boolean.class));
        log.debug("Spring transactions are on the classpath; sends in them are refused");
        return new ForeignTransactions(active);
      } catch (ReflectiveOperationException | LinkageError e) {
        // not in this loader
      }
    }
    return new ForeignTransactions(null);
  }

  /** Throws if the calling thread is in a transaction the store cannot join. */
  void refuseIfActive(String where) {
    if (springActive == null || !springTransactionActive()) {
      return;
    }
    throw new FerryException(
        "Ferry JDBI store ("
            + where
            + "): a Spring-managed transaction is active on this thread and the store cannot join"
            + " it, so the message would commit on its own whatever that transaction does."
            + " Bind a JDBI handle on the transaction's connection for the duration with"
            + " JdbiEnvelopeStore.bind(handle) (a Jdbi over Spring's"
            + " TransactionAwareDataSourceProxy of the same DataSource opens one), run the"
            + " transaction in JTA (Spring's JtaTransactionManager), which the store joins, or"
            + " send after the transaction has committed.");
  }

  private boolean springTransactionActive() {
    try {
      return (boolean) springActive.invokeExact();
    } catch (Throwable t) {
      throw new FerryException(
          "Cannot tell whether a Spring transaction is active: " + t.getMessage(), t);
    }
  }
}
