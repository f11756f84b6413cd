package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends everything bound for one destination, from one thread, in batches: a bounded queue in front
 * of one {@link Sender}. After {@code failuresToOpen} consecutive failures its circuit opens and it
 * accepts nothing (messages stay in the store) until a probe batch gets through.
 */
final class DestinationAgent implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DestinationAgent.class);

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
  private final CountDownLatch stopped = new CountDownLatch(1);

  private volatile boolean running = true;
  private volatile boolean open;
  private volatile long probeAtNanos;
  private int consecutiveFailures;
  private Sender sender;

  DestinationAgent(
      Address destination,
      Transport transport,
      EnvelopeStore store,
      String nodeId,
      int capacity,
      int batchSize,
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
  }

  Address destination() {
    return destination;
  }

  boolean isOpen() {
    return open;
  }

  /**
   * Takes what fits and returns the rest, which the caller leaves to the relay. While the circuit
   * is open only a probe (one batch per probe interval) is taken.
   */
  List<OutgoingEnvelope> offer(List<OutgoingEnvelope> envelopes) {
    if (!running) {
      return envelopes;
    }
    if (open) {
      if (System.nanoTime() < probeAtNanos) {
        return envelopes;
      }
      probeAtNanos = System.nanoTime() + probeInterval.toNanos();
      log.info("Probing {} with {} message(s)", destination, Math.min(batchSize, envelopes.size()));
      envelopes = envelopes.subList(0, Math.min(batchSize, envelopes.size()));
    }
    List<OutgoingEnvelope> rejected = new ArrayList<>(0);
    for (OutgoingEnvelope e : envelopes) {
      if (!queue.offer(e)) {
        rejected.add(e);
      }
    }
    return rejected;
  }

  @Override
  public void run() {
    List<OutgoingEnvelope> batch = new ArrayList<>(batchSize);
    try {
      while (running || !queue.isEmpty()) {
        OutgoingEnvelope first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        sendBatch(batch);
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      releaseAll(new ArrayList<>(queue));
      queue.clear();
      closeSender();
      stopped.countDown();
    }
  }

  private void sendBatch(List<OutgoingEnvelope> batch) {
    List<String> ids = new ArrayList<>(batch.size());
    List<dev.ferry.Envelope> envelopes = new ArrayList<>(batch.size());
    for (OutgoingEnvelope o : batch) {
      ids.add(o.id());
      envelopes.add(
          nativeScheduling || o.envelope().scheduledFor() == null
              ? o.envelope()
              : o.envelope().toBuilder().scheduledFor(null).build());
    }
    try {
      if (sender == null) {
        sender = transport.sender(destination);
      }
      sender.send(envelopes);
    } catch (Exception e) {
      onFailure(batch, e);
      return;
    }
    if (open) {
      log.info("Circuit to {} closed: the probe got through", destination);
    }
    open = false;
    consecutiveFailures = 0;
    counters.delivered.add(batch.size());
    batch.forEach(observers::delivered);
    try {
      store.deleteOutgoing(nodeId, ids);
    } catch (Exception e) {
      // Sent but still stored: the relay will send again later and the receiver's inbox will
      // recognise the duplicate. Nothing is lost.
      log.warn(
          "Sent {} message(s) to {} but could not remove them from the outbox",
          ids.size(),
          destination,
          e);
    }
  }

  private void onFailure(List<OutgoingEnvelope> batch, Exception e) {
    consecutiveFailures++;
    closeSender();
    Duration backoff =
        Duration.ofMillis(
            Math.min(probeInterval.toMillis(), 50L << Math.min(consecutiveFailures, 10)));
    release(batch, Instant.now().plus(backoff));
    if (!open && consecutiveFailures >= failuresToOpen) {
      open = true;
      probeAtNanos = System.nanoTime() + probeInterval.toNanos();
      List<OutgoingEnvelope> queued = new ArrayList<>();
      queue.drainTo(queued);
      release(queued, Instant.now().plus(probeInterval));
      log.warn(
          "Circuit to {} opened after {} consecutive failures; messages are kept in the outbox"
              + " and a probe runs every {}",
          destination,
          consecutiveFailures,
          probeInterval,
          e);
    } else {
      log.warn(
          "Sending {} message(s) to {} failed (failure {} in a row); they stay in the outbox",
          batch.size(),
          destination,
          consecutiveFailures,
          e);
    }
  }

  private void releaseAll(List<OutgoingEnvelope> envelopes) {
    release(envelopes, Instant.now());
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

  private void closeSender() {
    if (sender != null) {
      try {
        sender.close();
      } catch (RuntimeException e) {
        log.debug("Closing sender for {} failed", destination, e);
      }
      sender = null;
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
