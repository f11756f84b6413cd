package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.BusStatus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Transport;
import dev.ferry.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side. Outgoing envelopes are first stored (in the caller's unit of work when there is
 * one), then handed to their destinations' agents ({@link SenderAgents}) right after commit; the
 * {@link Relay} polls the store for anything left behind and feeds the same agents.
 */
final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final RuntimeSettings settings;
  private final EnvelopeStore store;
  private final Counters counters;
  private final Observers observers;
  private final SenderAgents agents;
  private final Relay relay;

  Outbox(
      RuntimeSettings settings,
      Transport transport,
      EnvelopeStore store,
      HostExecutors executors,
      Counters counters,
      Observers observers) {
    this.settings = settings;
    this.store = store;
    this.counters = counters;
    this.observers = observers;
    this.agents = new SenderAgents(settings, transport, store, executors, counters, observers);
    this.relay = new Relay(settings, store, executors, agents, this::dispatch);
  }

  void start() {
    relay.start();
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
            DestinationAgent agent = agents.agent(destination, deadline);
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
   * Waits until every agent has sent (or handed back to the store) what it was given, after a relay
   * pass that sends what earlier invocations or nodes left in the store. Returns false on timeout.
   */
  boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long failedBefore = agents.failedSends();
    if (!relay.passNow(timeout)) {
      return false;
    }
    return awaitSent(deadline, failedBefore);
  }

  /** Waits for what the senders hold, without a relay pass. */
  boolean awaitSent(Duration timeout) throws InterruptedException {
    return awaitSent(System.nanoTime() + timeout.toNanos(), agents.failedSends());
  }

  private boolean awaitSent(long deadline, long failedBefore) throws InterruptedException {
    while (true) {
      if (agents.allIdle()) {
        // Sends that failed meanwhile put their messages back in the outbox: not flushed.
        return agents.failedSends() == failedBefore;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(1);
    }
  }

  /** Each destination's circuit and what its agent holds, sorted by address. */
  List<BusStatus.Destination> destinations() {
    return agents.destinations();
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
    relay.close(); // a relay pass in progress finishes before the store goes away
    agents.close(timeout);
  }
}
