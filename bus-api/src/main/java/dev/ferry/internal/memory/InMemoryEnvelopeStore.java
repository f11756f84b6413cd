package dev.ferry.internal.memory;

import dev.ferry.BackPressureException;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.StoreGauges;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default store: bounded memory, nothing survives the process. Transactions are emulated:
 * writes made in a unit of work become visible at commit and vanish on rollback, so handler
 * failures behave as with a database.
 */
public final class InMemoryEnvelopeStore implements EnvelopeStore {
  private static final Logger log = LoggerFactory.getLogger(InMemoryEnvelopeStore.class);

  private final int outboxCapacity;
  private final int inboxCapacity;
  private final int deadLetterCapacity;
  private final Duration fullWait;

  private final Object outboxLock = new Object();
  private final Map<String, Row> outgoing = new HashMap<>();

  /** Unowned rows by due time; entries go stale when their row changes (see {@link Entry}). */
  private final PriorityQueue<Entry> free =
      new PriorityQueue<>(Comparator.comparing(Entry::due).thenComparingLong(Entry::sequence));

  private long sequence;
  private Instant nextLeaseScan = Instant.MIN;
  private final Map<String, Boolean> inbox = new ConcurrentHashMap<>();
  private final Deque<String> inboxOrder = new ArrayDeque<>();
  private final Map<String, DeadLetter> deadLetters = new LinkedHashMap<>();
  private final ThreadLocal<MemoryUnitOfWork> current = new ThreadLocal<>();

  private static final class Row {
    final OutgoingEnvelope envelope;
    String owner;
    Instant leaseUntil;
    Instant notBefore;
    int version;
    final Instant storedAt = Instant.now();

    Row(OutgoingEnvelope envelope, String owner, Instant leaseUntil) {
      this.envelope = envelope;
      this.owner = owner;
      this.leaseUntil = leaseUntil;
      this.notBefore = envelope.dueAt();
    }
  }

  /** A row as it was when it became free; stale once the row changed or was deleted. */
  private record Entry(Row row, int version, Instant due, long sequence) {}

  /** Marks a row unowned and queues it for claiming. Caller holds the lock. */
  private void makeFree(Row r) {
    r.owner = null;
    r.leaseUntil = null;
    r.version++;
    free.add(new Entry(r, r.version, r.notBefore == null ? Instant.MIN : r.notBefore, sequence++));
  }

  private boolean current(Entry e) {
    return outgoing.get(e.row().envelope.id()) == e.row() && e.row().version == e.version();
  }

  public InMemoryEnvelopeStore(
      int outboxCapacity, int inboxCapacity, int deadLetterCapacity, Duration fullWait) {
    this.outboxCapacity = outboxCapacity;
    this.inboxCapacity = inboxCapacity;
    this.deadLetterCapacity = deadLetterCapacity;
    this.fullWait = fullWait;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public <T> T inTransaction(TransactionalWork<T> work) throws Exception {
    MemoryUnitOfWork outer = current.get();
    if (outer != null) {
      return work.run(outer); // joins, as a database transaction would with propagation REQUIRED
    }
    MemoryUnitOfWork uow = new MemoryUnitOfWork();
    current.set(uow);
    T result;
    try {
      result = work.run(uow);
    } catch (Throwable t) {
      current.remove();
      uow.rollback();
      throw t;
    }
    current.remove();
    uow.commit();
    return result;
  }

  @Override
  public Optional<UnitOfWork> currentTransaction() {
    return Optional.ofNullable(current.get());
  }

  @Override
  public void storeOutgoing(
      UnitOfWork uow, Collection<OutgoingEnvelope> envelopes, String owner, Instant leaseUntil) {
    MemoryUnitOfWork m = (MemoryUnitOfWork) uow;
    for (OutgoingEnvelope e : envelopes) {
      m.pendingOutgoing.add(new Row(e, owner, leaseUntil));
    }
  }

  private void insert(List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + fullWait.toNanos();
    synchronized (outboxLock) {
      while (outgoing.size() + rows.size() > outboxCapacity) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new BackPressureException(
              "In-memory outbox is full ("
                  + outboxCapacity
                  + " messages, ferry.memory.outbox-capacity); the transport is not keeping up");
        }
        try {
          outboxLock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BackPressureException("Interrupted while waiting for room in the outbox");
        }
      }
      for (Row r : rows) {
        outgoing.put(r.envelope.id(), r);
        if (r.owner == null) {
          makeFree(r);
        }
      }
    }
  }

  @Override
  public List<OutgoingEnvelope> claimOutgoing(
      String owner, int limit, Instant now, Duration lease) {
    List<OutgoingEnvelope> claimed = new ArrayList<>();
    synchronized (outboxLock) {
      if (!now.isBefore(nextLeaseScan)) {
        // Expired leases (a node that died or forgot) are rare: look for them now and then.
        for (Row r : outgoing.values()) {
          if (r.owner != null && r.leaseUntil != null && !r.leaseUntil.isAfter(now)) {
            makeFree(r);
          }
        }
        Duration every = lease.dividedBy(4);
        nextLeaseScan =
            now.plus(every.compareTo(Duration.ofSeconds(1)) < 0 ? every : Duration.ofSeconds(1));
      }
      while (claimed.size() < limit && !free.isEmpty()) {
        Entry e = free.peek();
        if (!current(e)) {
          free.poll();
          continue;
        }
        if (e.due().isAfter(now)) {
          break;
        }
        free.poll();
        Row r = e.row();
        r.owner = owner;
        r.leaseUntil = now.plus(lease);
        r.version++;
        claimed.add(r.envelope);
      }
    }
    return claimed;
  }

  @Override
  public int deleteOutgoing(String owner, Collection<String> ids) {
    int n = 0;
    synchronized (outboxLock) {
      for (String id : ids) {
        Row r = outgoing.get(id);
        if (r != null && owner.equals(r.owner)) {
          outgoing.remove(id);
          n++;
        }
      }
      if (free.size() > 2 * outgoing.size() + 1024) {
        free.removeIf(e -> !current(e)); // keep stale entries from piling up
      }
      outboxLock.notifyAll();
    }
    return n;
  }

  @Override
  public int releaseOutgoing(String owner, Collection<String> ids, Instant notBefore) {
    int n = 0;
    synchronized (outboxLock) {
      for (String id : ids) {
        Row r = outgoing.get(id);
        if (r != null && owner.equals(r.owner)) {
          if (r.notBefore == null || r.notBefore.isBefore(notBefore)) {
            r.notBefore = notBefore;
          }
          makeFree(r);
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public StoreGauges gauges() {
    Instant now = Instant.now();
    long due = 0;
    long later = 0;
    Instant oldest = null;
    synchronized (outboxLock) {
      for (Row r : outgoing.values()) {
        Instant dueAt = r.envelope.dueAt();
        if (dueAt != null && dueAt.isAfter(now)) {
          later++;
        } else {
          due++;
          Instant since = dueAt != null ? dueAt : r.storedAt;
          if (oldest == null || since.isBefore(oldest)) {
            oldest = since;
          }
        }
      }
    }
    long dead;
    synchronized (this) {
      dead = deadLetters.size();
    }
    return new StoreGauges(
        due,
        oldest == null ? Duration.ZERO : Duration.between(oldest, now),
        later,
        inbox.size(),
        dead);
  }

  @Override
  public long outgoingCount() {
    synchronized (outboxLock) {
      return outgoing.size();
    }
  }

  @Override
  public boolean recordIncoming(UnitOfWork uow, String endpoint, String messageId) {
    String key = endpoint + "|" + messageId;
    if (inbox.putIfAbsent(key, Boolean.TRUE) != null) {
      return false;
    }
    MemoryUnitOfWork m = (MemoryUnitOfWork) uow;
    m.inboxKeys.add(key);
    return true;
  }

  private void rememberInbox(List<String> keys) {
    synchronized (inboxOrder) {
      inboxOrder.addAll(keys);
      while (inboxOrder.size() > inboxCapacity) {
        inbox.remove(inboxOrder.removeFirst());
      }
    }
  }

  @Override
  public synchronized void storeDeadLetter(DeadLetter deadLetter) {
    deadLetters.put(deadLetter.id(), deadLetter);
    if (deadLetters.size() > deadLetterCapacity) {
      Iterator<DeadLetter> oldest = deadLetters.values().iterator();
      DeadLetter evicted = oldest.next();
      oldest.remove();
      log.warn(
          "In-memory dead letters are full ({}, ferry.memory.dead-letter-capacity): evicted the"
              + " oldest, {} of type {} ({}). Configure a durable store to keep them all.",
          deadLetterCapacity,
          evicted.id(),
          evicted.envelope().messageType(),
          evicted.reason());
    }
  }

  @Override
  public synchronized List<DeadLetter> deadLetters(DeadLetterQuery query) {
    List<DeadLetter> all = new ArrayList<>(deadLetters.values());
    List<DeadLetter> result = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && result.size() < query.limit(); i--) {
      DeadLetter d = all.get(i);
      if (query.matches(d)) {
        result.add(d);
      }
    }
    return result;
  }

  @Override
  public synchronized Optional<DeadLetter> deadLetter(String id) {
    return Optional.ofNullable(deadLetters.get(id));
  }

  @Override
  public synchronized boolean deleteDeadLetter(UnitOfWork uow, String id) {
    DeadLetter d = deadLetters.remove(id);
    if (d == null) {
      return false;
    }
    ((MemoryUnitOfWork) uow).restoredOnRollback.add(d);
    return true;
  }

  @Override
  public synchronized long deadLetterCount() {
    return deadLetters.size();
  }

  @Override
  public synchronized long purgeDeadLetters(DeadLetterQuery query) {
    long before = deadLetters.size();
    deadLetters.values().removeIf(query::matches);
    return before - deadLetters.size();
  }

  private final class MemoryUnitOfWork implements UnitOfWork {
    final List<Row> pendingOutgoing = new ArrayList<>();
    final List<String> inboxKeys = new ArrayList<>();
    final List<DeadLetter> restoredOnRollback = new ArrayList<>();
    final List<Runnable> afterCommit = new ArrayList<>();

    @Override
    public void afterCommit(Runnable action) {
      afterCommit.add(action);
    }

    @Override
    public <T> Optional<T> resource(Class<T> type) {
      return Optional.empty();
    }

    void commit() {
      try {
        insert(pendingOutgoing);
      } catch (RuntimeException e) {
        rollback();
        throw e;
      }
      rememberInbox(inboxKeys);
      for (Runnable r : afterCommit) {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("After-commit action failed; the relay will retry what it left", e);
        }
      }
    }

    void rollback() {
      inboxKeys.forEach(inbox::remove);
      restoredOnRollback.forEach(InMemoryEnvelopeStore.this::storeDeadLetter);
    }
  }
}
