package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.BusStatus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Transport;
import dev.ferry.spi.UnitOfWork;
import dev.ferry.spi.support.LoopSupervisor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side. Outgoing envelopes are first stored (in the caller's unit of work when there is
 * one), then handed to per-destination agents right after commit; a relay polls the store for
 * anything left behind (a failed send, a crashed node's expired lease, a scheduled message that
 * became due) and feeds the same agents.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final RuntimeSettings settings;
  private final Transport transport;
  private final EnvelopeStore store;
  private final HostExecutors executors;
  private final Counters counters;
  private final Observers observers;
  private final Map<Address, DestinationAgent> agents = new ConcurrentHashMap<>();

  /** Each live agent's threads; guarded by itself, which is also held to create or retire one. */
  private final Map<DestinationAgent, ExecutorService> agentThreads = new LinkedHashMap<>();

  private ScheduledFuture<?> relay;
  private volatile boolean closed;

  /** Held while the relay runs, so that close() can wait for it before the store closes. */
  private final ReentrantLock relayRunning = new ReentrantLock();

  /** How long the relay waits for room in the senders' buffers before it moves on. */
  private static final long RELAY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** How long one relay pass may keep claiming before it gives the timer thread back. */
  private static final long RELAY_PASS_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** The longest a failing relay waits between polls. */
  private static final long MAX_RELAY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Consecutive failed relay passes, and when the timer may run the relay again. */
  private int relayFailures;

  private volatile long relayResumeNanos = System.nanoTime();

  private long lastRelayWarningNanos;
  private int suppressedRelayWarnings;

  Outbox(
      RuntimeSettings settings,
      Transport transport,
      EnvelopeStore store,
      HostExecutors executors,
      Counters counters,
      Observers observers) {
    this.settings = settings;
    this.transport = transport;
    this.store = store;
    this.executors = executors;
    this.counters = counters;
    this.observers = observers;
  }

  void start() {
    long every = settings.outboxPollInterval().toMillis();
    relay =
        executors
            .scheduler()
            // The first pass at once: what is due in the store (failed sends, expired leases of
            // crashed nodes, scheduled messages) leaves on start, not a poll interval later.
            .scheduleWithFixedDelay(
                LoopSupervisor.task("relay", this::relayOnTimer), 0, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Stores envelopes in {@code uow}; they are dispatched when it commits. Each call dispatches its
   * own envelopes: a unit of work is not always one transaction (a bound handle's spans several)
   * and the SPI reports no rollback, so envelopes gathered across calls could outlive a rolled-back
   * transaction; a dispatch is only queue offers, no I/O.
   */
  void enlist(UnitOfWork uow, List<OutgoingEnvelope> envelopes) throws Exception {
    if (envelopes.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    List<OutgoingEnvelope> immediate = new ArrayList<>(envelopes.size());
    List<OutgoingEnvelope> later = new ArrayList<>(0);
    for (OutgoingEnvelope o : envelopes) {
      (o.dueAt() != null && o.dueAt().isAfter(now) ? later : immediate).add(o);
    }
    if (!immediate.isEmpty()) {
      store.storeOutgoing(uow, immediate, settings.nodeId(), now.plus(settings.outboxLease()));
    }
    if (!later.isEmpty()) {
      // Unowned: whichever node's relay finds them due sends them.
      store.storeOutgoing(uow, later, null, null);
    }
    uow.afterCommit(
        () -> {
          // Observers hear of the send before the dispatch can report its delivery.
          counters.sent.add(envelopes.size());
          envelopes.forEach(observers::sent);
          if (!immediate.isEmpty()) {
            dispatch(immediate, settings.sendTimeout());
          }
        });
  }

  /** Stores envelopes in the caller's transaction if one is open, else in a new one. */
  void submit(List<OutgoingEnvelope> envelopes) throws Exception {
    var ambient = store.currentTransaction();
    if (ambient.isPresent()) {
      enlist(ambient.get(), envelopes);
    } else {
      store.inTransaction(
          uow -> {
            enlist(uow, envelopes);
            return null;
          });
    }
  }

  /**
   * Hands committed envelopes (owned by this node) to their agents; returns false if some were
   * refused (buffer full or circuit open) and left to the relay.
   */
  boolean dispatch(List<OutgoingEnvelope> envelopes, Duration maxWait) {
    boolean[] allTaken = {true};
    Map<Address, List<OutgoingEnvelope>> byDestination = new LinkedHashMap<>();
    for (OutgoingEnvelope o : envelopes) {
      byDestination.computeIfAbsent(o.destination(), k -> new ArrayList<>()).add(o);
    }
    byDestination.forEach(
        (destination, list) -> {
          List<OutgoingEnvelope> rejected = list;
          Instant retryAt = Instant.now().plus(settings.outboxPollInterval());
          // An agent retired between the look-up and the offer refuses everything: take the
          // destination's new agent instead.
          long deadline = System.nanoTime() + maxWait.toNanos();
          for (int tries = 0; tries < 3 && rejected == list; tries++) {
            DestinationAgent agent = agent(destination, deadline);
            if (agent == null) {
              break; // every agent stayed busy: the messages wait in the outbox for the relay
            }
            rejected = agent.offer(list, maxWait);
            retryAt = agent.retryAt(retryAt);
            if (!agent.running()) {
              continue;
            }
            break;
          }
          if (!rejected.isEmpty()) {
            allTaken[0] = false;
            release(rejected, retryAt);
          }
        });
    return allTaken[0];
  }

  /**
   * The destination's agent, made if there is none; {@code null} if {@link
   * RuntimeSettings#senderMaxDestinations()} agents are live and none of them is idle. Reply
   * addresses come from received messages, so the set of destinations is not known in advance: the
   * least recently offered idle agents are retired to make room, which keeps threads and buffers
   * bounded however many distinct addresses arrive. While all are busy, waits until {@code
   * deadlineNanos} for one to become idle: like a full buffer, that wait is back pressure.
   */
  private DestinationAgent agent(Address destination, long deadlineNanos) {
    while (true) {
      DestinationAgent a = agent(destination);
      if (a != null || closed || System.nanoTime() - deadlineNanos >= 0) {
        return a;
      }
      LockSupport.parkNanos(500_000);
    }
  }

  /** The destination's agent, made if there is room; {@code null} if all agents are busy. */
  private DestinationAgent agent(Address destination) {
    DestinationAgent existing = agents.get(destination);
    if (existing != null && existing.running()) {
      return existing;
    }
    synchronized (agentThreads) {
      existing = agents.get(destination);
      if (existing != null && existing.running()) {
        return existing;
      }
      if (existing != null) {
        forget(destination, existing);
      }
      if (closed) {
        return null;
      }
      if (agents.size() >= settings.senderMaxDestinations() && !retireLeastRecentlyUsedIdle()) {
        return null;
      }
      DestinationAgent a =
          new DestinationAgent(
              destination,
              transport,
              store,
              settings.nodeId(),
              settings.senderBuffer(),
              settings.senderBatchSize(),
              settings.senderParallelism(),
              settings.circuitBreakerFailures(),
              settings.circuitBreakerProbeInterval(),
              counters,
              observers);
      int loops = settings.senderParallelism();
      ExecutorService threads = executors.workers("ferry-send-" + destination.name(), loops + 1);
      agentThreads.put(a, threads);
      agents.put(destination, a);
      for (int i = 0; i < loops; i++) {
        threads.execute(a);
      }
      threads.execute(a.deleter());
      return a;
    }
  }

  /** Retires the idle agent offered to least recently (closed circuits first); guarded. */
  private boolean retireLeastRecentlyUsedIdle() {
    List<Map.Entry<Address, DestinationAgent>> candidates =
        agents.entrySet().stream()
            .sorted(
                Comparator.comparing(
                        (Map.Entry<Address, DestinationAgent> e) -> e.getValue().isOpen())
                    .thenComparingLong(e -> e.getValue().lastOfferNanos()))
            .toList();
    for (Map.Entry<Address, DestinationAgent> e : candidates) {
      if (e.getValue().retireIfIdle()) {
        log.debug("Closed the idle sender for {} to make room", e.getKey());
        forget(e.getKey(), e.getValue());
        return true;
      }
    }
    return false;
  }

  /** Drops a stopped agent and lets its threads go; guarded by {@link #agentThreads}. */
  private void forget(Address destination, DestinationAgent agent) {
    agents.remove(destination, agent);
    ExecutorService threads = agentThreads.remove(agent);
    if (threads != null && executors.ownsExecutors()) {
      // The agent is idle and refuses offers: interrupting its loops loses nothing.
      threads.shutdownNow();
    }
  }

  /** Live agents (for tests). */
  int agentCount() {
    return agents.size();
  }

  /**
   * Waits until every agent has sent (or handed back to the store) what it was given. Returns false
   * on timeout.
   */
  boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long failedBefore = failedSends();
    // A relay pass that starts now sends what earlier invocations or nodes left in the store; a
    // pass the timer is running may have claimed before those rows were due, so wait it out.
    if (!relayRunning.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    try {
      relayOnce();
    } finally {
      relayRunning.unlock();
    }
    return awaitSent(deadline, failedBefore);
  }

  /** Waits for what the senders hold, without a relay pass. */
  boolean awaitSent(Duration timeout) throws InterruptedException {
    return awaitSent(System.nanoTime() + timeout.toNanos(), failedSends());
  }

  private boolean awaitSent(long deadline, long failedBefore) throws InterruptedException {
    while (true) {
      if (agents.values().stream().allMatch(DestinationAgent::idle)) {
        // Sends that failed meanwhile put their messages back in the outbox: not flushed.
        return failedSends() == failedBefore;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(1);
    }
  }

  private long failedSends() {
    long n = 0;
    for (DestinationAgent a : agents.values()) {
      n += a.failedSends();
    }
    return n;
  }

  /** Each destination's circuit and what its agent holds, sorted by address. */
  List<BusStatus.Destination> destinations() {
    // Under the lock that creates and retires agents: iterating the map while one agent is
    // retired and another made could see both, more than are ever live at once.
    synchronized (agentThreads) {
      return agents.entrySet().stream()
          .map(
              e ->
                  new BusStatus.Destination(
                      e.getKey(),
                      e.getValue().isOpen(),
                      e.getValue().pending(),
                      e.getValue().openedAt()))
          .sorted(Comparator.comparing(d -> d.address().toString()))
          .toList();
    }
  }

  /** Whether the circuit to a destination is open (for diagnostics and tests). */
  boolean circuitOpen(Address destination) {
    DestinationAgent a = agents.get(destination);
    return a != null && a.isOpen();
  }

  /** A relay poll on the timer; skipped while backing off after failures. */
  private void relayOnTimer() {
    if (System.nanoTime() - relayResumeNanos < 0) {
      return;
    }
    relayOnce();
  }

  void relayOnce() {
    if (closed || !relayRunning.tryLock()) {
      return;
    }
    boolean more = false;
    try {
      // Keep claiming while batches come back full (a backlog drains at the store's pace, not
      // one batch per poll), waiting for room in the senders' buffers rather than handing the
      // rows back; but give the timer thread back now and then, and carry on right after.
      long until = System.nanoTime() + RELAY_PASS_NANOS;
      while (!closed) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          more = true;
          break;
        }
        awaitSenders(Math.min(until, System.nanoTime() + RELAY_WAIT_NANOS));
        List<OutgoingEnvelope> claimed =
            store.claimOutgoing(
                settings.nodeId(),
                settings.outboxBatchSize(),
                Instant.now(),
                settings.outboxLease());
        relayFailures = 0;
        if (claimed.isEmpty()) {
          return;
        }
        boolean allTaken =
            dispatch(claimed, Duration.ofNanos(Math.min(RELAY_WAIT_NANOS, Math.max(0, left))));
        if (!allTaken || claimed.size() < settings.outboxBatchSize()) {
          return;
        }
      }
    } catch (Exception | Error e) {
      // Back off while the store keeps failing (or anything else failed): poll interval, doubled
      // per failure, up to
      // MAX_RELAY_BACKOFF (or the poll interval if that is longer).
      relayFailures = Math.min(relayFailures + 1, 16);
      long poll = settings.outboxPollInterval().toNanos();
      long backoff = Math.min(poll << Math.min(relayFailures - 1, 10), MAX_RELAY_BACKOFF_NANOS);
      relayResumeNanos = System.nanoTime() + Math.max(poll, backoff) - poll;
      warnRelayFailure(e);
    } finally {
      relayRunning.unlock();
    }
    if (more && !closed) {
      try {
        executors.scheduler().execute(LoopSupervisor.task("relay", this::relayOnTimer));
      } catch (RejectedExecutionException e) {
        log.debug("Relay continuation not scheduled (shutting down): {}", e.toString());
      }
    }
  }

  /**
   * Waits until the senders have at most one claim's worth of messages left, so that the relay
   * stays one batch ahead of them instead of filling their buffers: claimed rows stay at the head
   * of the outbox's due index until deleted, and every claim walks past them. Waits at most until
   * {@code until}, then lets the relay claim anyway: one slow destination must not hold up the
   * others' backlog for long (what its full buffer refuses is released, as before).
   */
  private void awaitSenders(long until) {
    while (true) {
      long waiting = 0;
      for (DestinationAgent a : agents.values()) {
        waiting += a.pending();
      }
      if (waiting <= settings.outboxBatchSize() || System.nanoTime() - until >= 0 || closed) {
        return;
      }
      LockSupport.parkNanos(200_000);
    }
  }

  /** A store outage fails every poll: one full warning a minute, a count in between. */
  private void warnRelayFailure(Throwable e) {
    long now = System.nanoTime();
    if (lastRelayWarningNanos == 0 || now - lastRelayWarningNanos > 60_000_000_000L) {
      log.warn(
          "Outbox relay cannot claim messages ({} similar failures since the last warning);"
              + " it keeps retrying, backing off from {} to at most {} s",
          suppressedRelayWarnings,
          settings.outboxPollInterval(),
          TimeUnit.NANOSECONDS.toSeconds(MAX_RELAY_BACKOFF_NANOS),
          e);
      lastRelayWarningNanos = now;
      suppressedRelayWarnings = 0;
    } else {
      suppressedRelayWarnings++;
      log.debug("Outbox relay still cannot claim messages: {}", e.toString());
    }
  }

  private void release(List<OutgoingEnvelope> envelopes, Instant notBefore) {
    try {
      store.releaseOutgoing(
          settings.nodeId(), envelopes.stream().map(OutgoingEnvelope::id).toList(), notBefore);
    } catch (Exception e) {
      log.warn("Could not release {} message(s); their lease will expire", envelopes.size(), e);
    }
  }

  void close(Duration timeout) {
    closed = true;
    if (relay != null) {
      relay.cancel(false);
    }
    relayRunning.lock(); // a relay run in progress finishes before the store goes away
    relayRunning.unlock();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (DestinationAgent a : agents.values()) {
      a.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    if (executors.ownsExecutors()) {
      synchronized (agentThreads) {
        agentThreads.values().forEach(ExecutorService::shutdownNow);
      }
    }
  }
}
