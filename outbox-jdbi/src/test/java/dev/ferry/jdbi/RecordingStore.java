package dev.ferry.jdbi;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.StoreGauges;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store that passes everything to another and records what the outbox did with it: when each
 * outgoing id was first claimed (the claim's own clock), and how many rows the deletes removed.
 */
final class RecordingStore implements EnvelopeStore {
  private final EnvelopeStore delegate;
  final Map<String, Instant> firstClaimedAt = new ConcurrentHashMap<>();
  final AtomicInteger deleted = new AtomicInteger();

  RecordingStore(EnvelopeStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean durable() {
    return delegate.durable();
  }

  @Override
  public void start(String nodeId) throws Exception {
    delegate.start(nodeId);
  }

  @Override
  public <T> T inTransaction(TransactionalWork<T> work) throws Exception {
    return delegate.inTransaction(work);
  }

  @Override
  public Optional<UnitOfWork> currentTransaction() {
    return delegate.currentTransaction();
  }

  @Override
  public void storeOutgoing(
      UnitOfWork uow, Collection<OutgoingEnvelope> envelopes, String owner, Instant leaseUntil)
      throws Exception {
    delegate.storeOutgoing(uow, envelopes, owner, leaseUntil);
  }

  @Override
  public List<OutgoingEnvelope> claimOutgoing(String owner, int limit, Instant now, Duration lease)
      throws Exception {
    List<OutgoingEnvelope> claimed = delegate.claimOutgoing(owner, limit, now, lease);
    claimed.forEach(o -> firstClaimedAt.putIfAbsent(o.id(), now));
    return claimed;
  }

  @Override
  public int deleteOutgoing(String owner, Collection<String> ids) throws Exception {
    int n = delegate.deleteOutgoing(owner, ids);
    deleted.addAndGet(n);
    return n;
  }

  @Override
  public int releaseOutgoing(String owner, Collection<String> ids, Instant notBefore)
      throws Exception {
    return delegate.releaseOutgoing(owner, ids, notBefore);
  }

  @Override
  public StoreGauges gauges() throws Exception {
    return delegate.gauges();
  }

  @Override
  public long outgoingCount() throws Exception {
    return delegate.outgoingCount();
  }

  @Override
  public boolean recordIncoming(UnitOfWork uow, String endpoint, String messageId)
      throws Exception {
    return delegate.recordIncoming(uow, endpoint, messageId);
  }

  @Override
  public void storeDeadLetter(DeadLetter deadLetter) throws Exception {
    delegate.storeDeadLetter(deadLetter);
  }

  @Override
  public List<DeadLetter> deadLetters(DeadLetterQuery query) throws Exception {
    return delegate.deadLetters(query);
  }

  @Override
  public Optional<DeadLetter> deadLetter(String id) throws Exception {
    return delegate.deadLetter(id);
  }

  @Override
  public boolean deleteDeadLetter(UnitOfWork uow, String id) throws Exception {
    return delegate.deleteDeadLetter(uow, id);
  }

  @Override
  public long deadLetterCount() throws Exception {
    return delegate.deadLetterCount();
  }

  @Override
  public long purgeDeadLetters(DeadLetterQuery query) throws Exception {
    return delegate.purgeDeadLetters(query);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
