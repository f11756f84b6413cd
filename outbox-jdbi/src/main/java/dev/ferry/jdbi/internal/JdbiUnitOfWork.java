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
  private final Transactions owner;
  private final Handle handle;
  private final Consumer<Runnable> afterCommit;

  JdbiUnitOfWork(Transactions owner, Handle handle, Consumer<Runnable> afterCommit) {
    this.owner = owner;
    this.handle = Objects.requireNonNull(handle, "handle");
    this.afterCommit = afterCommit;
  }

  /** The handle the store's statements run on. */
  public Handle handle() {
    return handle;
  }

  Transactions owner() {
    return owner;
  }

  @Override
  public void afterCommit(Runnable action) {
    afterCommit.accept(Objects.requireNonNull(action, "action"));
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
