package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetters;
import dev.ferry.FerryException;
import dev.ferry.spi.OutgoingEnvelope;
import java.util.List;
import java.util.Optional;

/** {@link DeadLetters} over the envelope store. */
final class DeadLettersView implements DeadLetters {
  private final RuntimeParts parts;

  DeadLettersView(RuntimeParts parts) {
    this.parts = parts;
  }

  @Override
  public List<DeadLetter> list(int limit) {
    return list(null, limit);
  }

  @Override
  public List<DeadLetter> list(String endpoint, int limit) {
    return call(() -> parts.store.deadLetters(endpoint, limit));
  }

  @Override
  public Optional<DeadLetter> find(String id) {
    return call(() -> parts.store.deadLetter(id));
  }

  @Override
  public long count() {
    return call(parts.store::deadLetterCount);
  }

  @Override
  public boolean replay(String id) {
    return call(
        () ->
            parts.store.inTransaction(
                uow -> {
                  Optional<DeadLetter> found = parts.store.deadLetter(id);
                  if (found.isEmpty() || !parts.store.deleteDeadLetter(uow, id)) {
                    return false;
                  }
                  DeadLetter dl = found.get();
                  var envelope = dl.envelope().toBuilder().attempts(0).scheduledFor(null).build();
                  Address to = parts.router.qualify(Address.parse(dl.endpoint()), "dead letter");
                  parts.outbox.enlist(uow, List.of(new OutgoingEnvelope(envelope, to, null)));
                  return true;
                }));
  }

  @Override
  public boolean purge(String id) {
    return call(() -> parts.store.inTransaction(uow -> parts.store.deleteDeadLetter(uow, id)));
  }

  @Override
  public long purgeAll() {
    return call(parts.store::purgeDeadLetters);
  }

  private interface StoreCall<T> {
    T call() throws Exception;
  }

  private static <T> T call(StoreCall<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException("Dead letter store failed: " + e.getMessage(), e);
    }
  }
}
