package dev.ferry.spi;

import java.util.Optional;

/**
 * A transaction of the envelope store: a handler's, or the caller's own (a JDBI transaction, a JTA
 * transaction) when the store can join it. Outgoing messages and inbox records written through it
 * commit or roll back with the business data.
 */
public interface UnitOfWork {

  /** Runs after a successful commit, on the committing thread; never after a rollback. */
  void afterCommit(Runnable action);

  /** Resources handlers may ask for, e.g. a JDBI {@code Handle}. */
  <T> Optional<T> resource(Class<T> type);
}
