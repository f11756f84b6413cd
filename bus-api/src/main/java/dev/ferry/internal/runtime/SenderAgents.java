package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.BusStatus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Transport;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live {@link DestinationAgent}s, one per destination, made on first use. Reply addresses come
 * from received messages, so the set of destinations is not known in advance: at most {@link
 * RuntimeSettings#senderMaxDestinations()} agents live at once, and the least recently offered idle
 * ones are retired to make room, which keeps threads and buffers bounded however many distinct
 * addresses arrive.
 */
final class SenderAgents {
  private static final Logger log = LoggerFactory.getLogger(SenderAgents.class);

  private final RuntimeSettings settings;
  private final Transport transport;
  private final EnvelopeStore store;
  private final HostExecutors executors;
  private final Counters counters;
  private final Observers observers;
  private final Map<Address, DestinationAgent> agents = new ConcurrentHashMap<>();

  /** Each live agent's threads; guarded by itself, which is also held to create or retire one. */
  private final Map<DestinationAgent, ExecutorService> agentThreads = new LinkedHashMap<>();

  private volatile boolean closed;

  SenderAgents(
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

  /**
   * The destination's agent, made if there is none; {@code null} if the most agents are live and
   * none of them is idle. While all are busy, waits until {@code deadlineNanos} for one to become
   * idle: like a full buffer, that wait is back pressure.
   */
  DestinationAgent agent(Address destination, long deadlineNanos) {
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
      List<Runnable> loops = a.loops();
      ExecutorService threads = executors.workers("ferry-send-" + destination.name(), loops.size());
      agentThreads.put(a, threads);
      agents.put(destination, a);
      loops.forEach(threads::execute);
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

  /** Whether every agent has sent (or handed back to the store) what it was given. */
  boolean allIdle() {
    return agents.values().stream().allMatch(DestinationAgent::idle);
  }

  /** Messages queued or being sent, over all agents. */
  long pending() {
    long waiting = 0;
    for (DestinationAgent a : agents.values()) {
      waiting += a.pending();
    }
    return waiting;
  }

  /** Batches whose send failed, over the live agents. */
  long failedSends() {
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

  /** Stops every agent after it sent what it holds, within {@code timeout} in all. */
  void close(Duration timeout) {
    closed = true;
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
