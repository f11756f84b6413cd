package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.support.LoopSupervisor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends everything bound for one destination, in batches: a bounded queue drained by {@code
 * parallelism} sender loops, each with its own {@link Sender} (a JMS session, say), so that one
 * loop fills a batch while another waits for the broker to confirm its commit. After {@code
 * failuresToOpen} consecutive failures the circuit opens and the agent accepts nothing (messages
 * stay in the store) until a probe batch gets through.
 *
 * <p>Sent messages are removed from the store in batches across the loops by one more loop, the
 * {@linkplain #deleter() deleter}: a sender loop that has sent adds the ids to {@link #sentIds} and
 * goes on sending; one delete statement takes all of them once {@link #DELETE_WINDOW_NANOS} has
 * passed since the oldest or {@link #DELETE_BATCH} have gathered. The delete runs in auto-commit
 * after the send has returned, so no row lock is ever held across broker I/O, and no sender waits
 * for the database; it only deletes rows this node still owns (a node whose lease was taken over
 * deletes nothing of another's).
 */
final class DestinationAgent implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DestinationAgent.class);

  /**
   * How long sent ids may wait for others to share their delete: at 1,000 msg/s a delete takes
   * about ten messages instead of one, and a row stays in the store a few ms longer (well within
   * its lease, so the relay does not send it again).
   */
  static final long DELETE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Ids that are deleted at once without waiting for the window. */
  static final int DELETE_BATCH = 1000;

  private final Address destination;
  private final Transport transport;
  private final EnvelopeStore store;
  private final String nodeId;
  private final BlockingQueue<OutgoingEnvelope> queue;
  private final int batchSize;
  private final int failuresToOpen;
  private final Duration probeInterval;
  private final boolean nativeScheduling;
  private final Counters counters;
  private final Observers observers;
  private final CountDownLatch stopped;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();

  /**
   * Envelopes accepted by {@link #offer} and not yet sent or given back: counted before they are
   * queued and after their send ends, so that {@link #idle} never sees one in a sender loop's hand
   * between the queue and the send.
   */
  private final AtomicInteger outstanding = new AtomicInteger();

  private final java.util.concurrent.atomic.AtomicLong failedSends =
      new java.util.concurrent.atomic.AtomicLong();

  /** Messages taken from the queue whose batch is still being sent. */

  /** Sent, not yet deleted; guarded by itself, which the deleter waits on. */
  private final List<String> sentIds = new ArrayList<>();

  /** When the oldest of {@link #sentIds} was added; guarded by {@link #sentIds}. */
  private long sentSinceNanos;

  /** Whether the deleter has taken ids it has not deleted yet; guarded by {@link #sentIds}. */
  private boolean deletingIds;

  /** Sender loops still running; the deleter stops after the last has. */
  private final AtomicInteger liveSenders;

  private volatile boolean running = true;

  /**
   * Guards {@link #running} against {@link #retireIfIdle}: an offer registers itself in {@link
   * #outstanding} under this lock, so an agent is never retired while an offer is putting messages
   * into its queue (they would wait there for a sender loop that has ended).
   */
  private final Object lifecycle = new Object();

  /** When an offer last came, for choosing which idle agent to retire. */
  private volatile long lastOfferNanos = System.nanoTime();

  private volatile boolean open;
  private volatile Instant openedAt;
  private volatile long probeAtNanos;

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
    this.failuresToOpen = failuresToOpen;
    this.probeInterval = probeInterval;
    this.nativeScheduling = transport.capabilities().nativeScheduling();
    this.counters = counters;
    this.observers = observers;
    this.stopped = new CountDownLatch(parallelism + 1); // the sender loops and the deleter
    this.liveSenders = new AtomicInteger(parallelism);
  }

  boolean isOpen() {
    return open;
  }

  /** When the circuit opened, while it is open; null while it is closed. */
  Instant openedAt() {
    return open ? openedAt : null;
  }

  /**
   * When messages refused by {@link #offer} should come back from the store: at the next probe
   * while the circuit is open, so that the relay skips this destination until then instead of
   * claiming and releasing its backlog every poll; else {@code otherwise}.
   */
  Instant retryAt(Instant otherwise) {
    if (!open) {
      return otherwise;
    }
    Instant probe = Instant.now().plusNanos(Math.max(0, probeAtNanos - System.nanoTime()));
    return probe.isAfter(otherwise) ? probe : otherwise;
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
    if (open) {
      if (System.nanoTime() < probeAtNanos) {
        return envelopes;
      }
      probeAtNanos = System.nanoTime() + probeInterval.toNanos();
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

  /** One sender loop; the outbox runs {@code parallelism} of them, and one {@link #deleter()}. */
  @Override
  public void run() {
    List<OutgoingEnvelope> batch = new ArrayList<>(batchSize);
    Sender[] sender = {null};
    LoopSupervisor supervisor = new LoopSupervisor("sender to " + destination);
    try {
      while (running || !queue.isEmpty()) {
        OutgoingEnvelope first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        try {
          sendBatch(batch, sender);
          supervisor.succeeded();
        } catch (RuntimeException | Error unexpected) {
          // Their rows go back to the outbox; the loop goes on after a backoff.
          release(batch, Instant.now());
          supervisor.failed(unexpected);
        } finally {
          outstanding.addAndGet(-batch.size());
          batch.clear();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      List<OutgoingEnvelope> left = new ArrayList<>();
      queue.drainTo(left);
      outstanding.addAndGet(-left.size());
      release(left, Instant.now());
      closeSender(sender);
      liveSenders.decrementAndGet();
      synchronized (sentIds) {
        sentIds.notifyAll(); // the deleter may be waiting for the last sender to stop
      }
      stopped.countDown();
    }
  }

  /** The loop that deletes what the sender loops sent; the outbox runs one per agent. */
  Runnable deleter() {
    return this::deleteLoop;
  }

  private void deleteLoop() {
    try {
      while (true) {
        List<String> ids;
        synchronized (sentIds) {
          boolean senders = liveSenders.get() > 0;
          if (sentIds.isEmpty()) {
            if (!senders) {
              return;
            }
            sentIds.wait(50);
            continue;
          }
          long wait = sentIds.size() >= DELETE_BATCH || !senders ? 0 : deleteDueIn();
          if (wait > 0) {
            sentIds.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
            continue;
          }
          ids = new ArrayList<>(sentIds);
          sentIds.clear();
          deletingIds = true;
        }
        try {
          delete(ids);
        } finally {
          synchronized (sentIds) {
            deletingIds = false;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      List<String> left;
      synchronized (sentIds) {
        left = new ArrayList<>(sentIds);
        sentIds.clear();
      }
      if (!left.isEmpty()) {
        delete(left); // best effort; what stays is sent again later and recognised as a duplicate
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Nanoseconds until the window of the oldest sent id has passed; guarded by sentIds. */
  private long deleteDueIn() {
    return Math.max(0, sentSinceNanos + DELETE_WINDOW_NANOS - System.nanoTime());
  }

  private void delete(List<String> ids) {
    try {
      store.deleteOutgoing(nodeId, ids);
    } catch (Exception | Error e) {
      // Sent but still stored: the relay will send again later and the receiver's inbox will
      // recognise the duplicate. Nothing is lost.
      log.warn(
          "Sent {} message(s) to {} but could not remove them from the outbox",
          ids.size(),
          destination,
          e);
    }
  }

  private void sendBatch(List<OutgoingEnvelope> batch, Sender[] sender) {
    List<String> ids = new ArrayList<>(batch.size());
    List<Envelope> envelopes = new ArrayList<>(batch.size());
    for (OutgoingEnvelope o : batch) {
      ids.add(o.id());
      envelopes.add(
          nativeScheduling || o.envelope().scheduledFor() == null
              ? o.envelope()
              : o.envelope().toBuilder().scheduledFor(null).build());
    }
    try {
      if (sender[0] == null) {
        sender[0] = transport.sender(destination);
      }
      sender[0].send(envelopes);
    } catch (Exception | Error e) {
      closeSender(sender);
      onFailure(batch, e);
      return;
    }
    if (open) {
      log.info("Circuit to {} closed: the probe got through", destination);
      open = false;
    }
    consecutiveFailures.set(0);
    counters.delivered.add(batch.size());
    batch.forEach(observers::delivered);
    synchronized (sentIds) {
      if (sentIds.isEmpty()) {
        sentSinceNanos = System.nanoTime();
      }
      sentIds.addAll(ids);
      if (sentIds.size() == ids.size() || sentIds.size() >= DELETE_BATCH) {
        sentIds.notify(); // the deleter starts the window, or deletes a full batch at once
      }
    }
  }

  /** Batches whose send failed since the agent started (their rows went back to the outbox). */
  long failedSends() {
    return failedSends.get();
  }

  private void onFailure(List<OutgoingEnvelope> batch, Throwable e) {
    failedSends.incrementAndGet();
    int failures = consecutiveFailures.incrementAndGet();
    Duration backoff =
        Duration.ofMillis(Math.min(probeInterval.toMillis(), 50L << Math.min(failures, 10)));
    release(batch, Instant.now().plus(backoff));
    if (!open && failures >= failuresToOpen) {
      openedAt = Instant.now();
      open = true;
      probeAtNanos = System.nanoTime() + probeInterval.toNanos();
      List<OutgoingEnvelope> queued = new ArrayList<>();
      queue.drainTo(queued);
      outstanding.addAndGet(-queued.size());
      release(queued, Instant.now().plus(probeInterval));
      log.warn(
          "Circuit to {} opened after {} consecutive failures; messages are kept in the outbox"
              + " and a probe runs every {}",
          destination,
          failures,
          probeInterval,
          e);
    } else {
      log.warn(
          "Sending {} message(s) to {} failed (failure {} in a row); they stay in the outbox",
          batch.size(),
          destination,
          failures,
          e);
    }
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

  private void closeSender(Sender[] sender) {
    if (sender[0] != null) {
      try {
        sender[0].close();
      } catch (RuntimeException e) {
        log.debug("Closing sender for {} failed", destination, e);
      }
      sender[0] = null;
    }
  }

  /** Messages queued or being sent. */
  int pending() {
    return outstanding.get();
  }

  /** True when nothing is queued, being sent, or sent and waiting to be deleted. */
  boolean idle() {
    if (outstanding.get() != 0) {
      return false;
    }
    synchronized (sentIds) {
      return sentIds.isEmpty() && !deletingIds;
    }
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
