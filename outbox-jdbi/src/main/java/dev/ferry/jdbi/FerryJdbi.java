package dev.ferry.jdbi;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;

/**
 * Runs business code and messages in one database transaction: the transactional outbox.
 *
 * <pre>{@code
 * FerryJdbi.useTransaction(store, handle -> {
 *   handle.execute("insert into orders (id, customer) values (?, ?)", id, customer);
 *   bus.publish(new OrderPlaced(id, customer));   // stored in this transaction
 * });                                             // committed: the message leaves now
 * }</pre>
 *
 * <p>If the callback throws, the transaction rolls back and no message is sent. Messages leave
 * right after the commit; anything not sent then (broker down, process killed) is sent by the relay
 * of any node. Inside a transaction already open on this thread (a bound handle, a JTA transaction,
 * an enclosing call) the callback joins it.
 */
public final class FerryJdbi {
  private FerryJdbi() {}

  /** Runs {@code callback} in a transaction of the store's database and returns its result. */
  public static <R, X extends Exception> R inTransaction(
      JdbiEnvelopeStore store, HandleCallback<R, X> callback) throws X {
    return store.transactions().inUnitOfWork(uow -> callback.withHandle(uow.handle()));
  }

  /** Runs {@code consumer} in a transaction of the store's database. */
  public static <X extends Exception> void useTransaction(
      JdbiEnvelopeStore store, HandleConsumer<X> consumer) throws X {
    inTransaction(
        store,
        (Handle h) -> {
          consumer.useHandle(h);
          return null;
        });
  }
}
