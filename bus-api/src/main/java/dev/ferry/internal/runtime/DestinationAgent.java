package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything bound for one destination: a bounded queue that committing senders and the relay
 * {@linkplain #offer offer} to, drained by {@code parallelism} {@link SenderLoop}s; the {@link
 * CircuitBreaker} that stops taking messages (they stay in the store) while the destination fails;
 * and the {@link OutboxDeleter} that removes what was sent. It settles each batch a loop sent or
 * failed to send, and decides when it is idle and may be retired.
 */
final class DestinationAgent {
  private static final Logger log = LoggerFactory.getLogger(DestinationAgent.class);

  private final Address destination;
  private final Transport transport;
  private final EnvelopeStore store;
  private final String nodeId;
  private final BlockingQueue<OutgoingEnvelope> queue;
  private final int batchSize;
  private final int parallelism;
  private final CircuitBreaker circuit;
  private final OutboxDeleter deleter;
  private final Counters counters;
  private final Observers observers;
  private final CountDownLatch stopped;

  /**
   * Envelopes accepted by {@link #offer} and not yet sent or given back: counted before they are
   * queued and after their send ends, so that {@link #idle} never sees one in a sender loop's hand
   * between the queue and the send.
   */
  private final AtomicInteger outstanding = new AtomicInteger();

  private final AtomicLong failedSends = new AtomicLong();

  private volatile boolean running = true;

  /**
   * Guards {@link #running} against {@link #retireIfIdle}: an offer registers itself in {@link
   * #outstanding} under this lock, so an agent is never retired while an offer is putting messages
   * into its queue (they would wait there for a sender loop that has ended).
   */
  private final Object lifecycle = new Object();

  /** When an offer last came, for choosing which idle agent to retire. */
  private volatile long lastOfferNanos = System.nanoTime();

  DestinationAgent(
      Address destination,
      Transport transport,
      EnvelopeStore store,
      String nodeId,
      int capacity,
      int batchSize,
      int parallelism,
      int failuresToOpen,
      Duration probeInterval,
      Counters counters,
      Observers observers) {
    this.destination = destination;
    this.transport = transport;
    this.store = store;
    this.nodeId = nodeId;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.parallelism = parallelism;
    this.circuit = new CircuitBreaker(failuresToOpen, probeInterval);
    this.deleter = new OutboxDeleter(destination, store, nodeId, parallelism);
    this.counters = counters;
    this.observers = observers;
    this.stopped = new CountDownLatch(parallelism + 1); // the sender loops and the deleter
  }

  /** The agent's loops, to run each on a thread of its own: the sender loops, then the deleter. */
  List<Runnable> loops() {
    List<Runnable> loops = new ArrayList<>(parallelism + 1);
    for (int i = 0; i < parallelism; i++) {
      loops.add(new SenderLoop(this, destination, transport, batchSize));
    }
    loops.add(
        () -> {
          try {
            deleter.run();
          } finally {
            stopped.countDown();
          }
        });
    return loops;
  }

  boolean isOpen() {
    return circuit.isOpen();
  }

  /** When the circuit opened, while it is open; null while it is closed. */
  Instant openedAt() {
    return circuit.openedAt();
  }

  /**
   * When messages refused by {@link #offer} should come back from the store: at the next probe
   * while the circuit is open, so that the relay skips this destination until then instead of
   * claiming and releasing its backlog every poll; else {@code otherwise}.
   */
  Instant retryAt(Instant otherwise) {
    return circuit.retryAt(otherwise);
  }

  /**
   * Takes what fits within {@code maxWait} and returns the rest, which the caller leaves to the
   * relay. A committing sender waits here when the buffer is full: that wait is the back pressure
   * that keeps producers at the pace of the broker. While the circuit is open only a probe (one
   * message per probe interval) is taken, without waiting.
   */
  List<OutgoingEnvelope> offer(List<OutgoingEnvelope> envelopes, Duration maxWait) {
    synchronized (lifecycle) {
      if (!running) {
        return envelopes;
      }
      outstanding.incrementAndGet(); // this offer, until it returns: the agent is not idle
      lastOfferNanos = System.nanoTime();
    }
    try {
      return offerRunning(envelopes, maxWait);
    } finally {
      outstanding.decrementAndGet();
    }
  }

  private List<OutgoingEnvelope> offerRunning(List<OutgoingEnvelope> envelopes, Duration maxWait) {
    List<OutgoingEnvelope> rest = List.of();
    long deadline = System.nanoTime() + maxWait.toNanos();
    if (circuit.isOpen()) {
      if (!circuit.tryProbe()) {
        return envelopes;
      }
      // One message: it risks least while the destination is still down, and cannot be split
      // across the sender loops into several failing sends per probe.
      int probe = Math.min(1, envelopes.size());
      log.info("Probing {} with {} message(s)", destination, probe);
      rest = envelopes.subList(probe, envelopes.size());
      envelopes = envelopes.subList(0, probe);
      deadline = System.nanoTime();
    }
    List<OutgoingEnvelope> rejected = new ArrayList<>(rest);
    for (int i = 0; i < envelopes.size(); i++) {
      OutgoingEnvelope e = envelopes.get(i);
      long left = deadline - System.nanoTime();
      outstanding.incrementAndGet();
      boolean queued = false;
      try {
        queued = queue.offer(e, Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        rejected.addAll(envelopes.subList(i + 1, envelopes.size())); // not offered
        break;
      } finally {
        if (!queued) {
          outstanding.decrementAndGet();
          rejected.add(e);
        }
      }
    }
    return rejected;
  }

  /**
   * For a sender loop: fills {@code batch} with up to {@code max} queued envelopes, waiting a
   * little for the first (it may stay empty); false once the agent stopped and its queue is empty.
   */
  boolean take(List<OutgoingEnvelope> batch, int max) throws InterruptedException {
    if (!running && queue.isEmpty()) {
      return false;
    }
    OutgoingEnvelope first = queue.poll(50, TimeUnit.MILLISECONDS);
    if (first != null) {
      batch.add(first);
      queue.drainTo(batch, max - 1);
    }
    return true;
  }

  /** A sender loop sent {@code batch}. */
  void sent(List<OutgoingEnvelope> batch) {
    if (circuit.succeeded()) {
      log.info("Circuit to {} closed: the probe got through", destination);
    }
    counters.delivered.add(batch.size());
    batch.forEach(observers::delivered);
    deleter.sent(batch.stream().map(OutgoingEnvelope::id).toList());
  }

  /** A sender loop failed to send {@code batch}: back to the outbox, after a backoff. */
  void sendFailed(List<OutgoingEnvelope> batch, Throwable e) {
    failedSends.incrementAndGet();
    CircuitBreaker.Failure f = circuit.failed();
    release(batch, Instant.now().plus(f.backoff()));
    if (f.opened()) {
      List<OutgoingEnvelope> queued = new ArrayList<>();
      queue.drainTo(queued);
      outstanding.addAndGet(-queued.size());
      release(queued, Instant.now().plus(circuit.probeInterval()));
      log.warn(
          "Circuit to {} opened after {} consecutive failures; messages are kept in the outbox"
              + " and a probe runs every {}",
          destination,
          f.inARow(),
          circuit.probeInterval(),
          e);
    } else {
      log.warn(
          "Sending {} message(s) to {} failed (failure {} in a row); they stay in the outbox",
          batch.size(),
          destination,
          f.inARow(),
          e);
    }
  }

  /** A sender loop broke while holding {@code batch}: back to the outbox now. */
  void giveBack(List<OutgoingEnvelope> batch) {
    release(batch, Instant.now());
  }

  /** A sender loop is done with {@code batch}, sent or not. */
  void done(List<OutgoingEnvelope> batch) {
    outstanding.addAndGet(-batch.size());
  }

  /** A sender loop ended: what is still queued goes back to the outbox. */
  void senderStopped() {
    List<OutgoingEnvelope> left = new ArrayList<>();
    queue.drainTo(left);
    outstanding.addAndGet(-left.size());
    release(left, Instant.now());
    deleter.senderStopped();
    stopped.countDown();
  }

  /** Batches whose send failed since the agent started (their rows went back to the outbox). */
  long failedSends() {
    return failedSends.get();
  }

  private void release(List<OutgoingEnvelope> envelopes, Instant notBefore) {
    if (envelopes.isEmpty()) {
      return;
    }
    try {
      store.releaseOutgoing(
          nodeId, envelopes.stream().map(OutgoingEnvelope::id).toList(), notBefore);
    } catch (Exception e) {
      // Their lease expires on its own; the relay then takes them.
      log.warn("Could not release {} message(s) for {}", envelopes.size(), destination, e);
    }
  }

  /** Messages queued or being sent. */
  int pending() {
    return outstanding.get();
  }

  /** True when nothing is queued, being sent, or sent and waiting to be deleted. */
  boolean idle() {
    return outstanding.get() == 0 && deleter.idle();
  }

  /** Whether the agent still takes messages (it was neither stopped nor retired). */
  boolean running() {
    return running;
  }

  /** When the last offer came, in {@link System#nanoTime()} terms. */
  long lastOfferNanos() {
    return lastOfferNanos;
  }

  /**
   * Stops the agent if it holds nothing (nothing queued, being sent or waiting to be deleted);
   * returns whether it did. Its loops then end within one poll of the queue, without waiting here.
   * Later offers are refused, and the caller makes a new agent for the destination.
   */
  boolean retireIfIdle() {
    synchronized (lifecycle) {
      if (!running || !idle()) {
        return false;
      }
      running = false;
      return true;
    }
  }

  /** Stops after sending what is queued, waiting at most {@code timeout}. */
  void stop(Duration timeout) {
    running = false;
    try {
      if (!stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Sender for {} did not finish within {}", destination, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
