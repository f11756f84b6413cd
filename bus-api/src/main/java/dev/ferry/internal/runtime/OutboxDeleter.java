package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.spi.EnvelopeStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a destination's sender loops sent from the outbox, in batches across the loops: a
 * loop that has sent hands over the ids ({@link #sent}) and goes on sending; one delete statement
 * takes all of them once {@link #DELETE_WINDOW_NANOS} has passed since the oldest or {@link
 * #DELETE_BATCH} have gathered. The delete runs in auto-commit after the send returned, so no row
 * lock is ever held across broker I/O and no sender waits for the database; it deletes only rows
 * this node still owns (a node whose lease was taken over deletes nothing of another's). It runs
 * until the last sender loop has stopped and everything handed over is deleted.
 */
final class OutboxDeleter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(OutboxDeleter.class);

  /**
   * How long sent ids may wait for others to share their delete: at 1,000 msg/s a delete takes
   * about ten messages instead of one, and a row stays in the store a few ms longer (well within
   * its lease, so the relay does not send it again).
   */
  static final long DELETE_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Ids that are deleted at once without waiting for the window. */
  static final int DELETE_BATCH = 1000;

  private final Address destination;
  private final EnvelopeStore store;
  private final String nodeId;

  /** Sender loops still running. */
  private final AtomicInteger liveSenders;

  /** Sent, not yet deleted; guarded by itself, which the loop waits on. */
  private final List<String> sentIds = new ArrayList<>();

  /** When the oldest of {@link #sentIds} was added; guarded by {@link #sentIds}. */
  private long sentSinceNanos;

  /** Whether the loop has taken ids it has not deleted yet; guarded by {@link #sentIds}. */
  private boolean deletingIds;

  OutboxDeleter(Address destination, EnvelopeStore store, String nodeId, int senders) {
    this.destination = destination;
    this.store = store;
    this.nodeId = nodeId;
    this.liveSenders = new AtomicInteger(senders);
  }

  /** A sender loop sent the messages with these outbox ids. */
  void sent(List<String> ids) {
    synchronized (sentIds) {
      if (sentIds.isEmpty()) {
        sentSinceNanos = System.nanoTime();
      }
      sentIds.addAll(ids);
      if (sentIds.size() == ids.size() || sentIds.size() >= DELETE_BATCH) {
        sentIds.notify(); // the loop starts the window, or deletes a full batch at once
      }
    }
  }

  /** A sender loop stopped; after the last one, the loop deletes what is left and ends. */
  void senderStopped() {
    liveSenders.decrementAndGet();
    synchronized (sentIds) {
      sentIds.notifyAll();
    }
  }

  /** Whether nothing handed over waits to be deleted. */
  boolean idle() {
    synchronized (sentIds) {
      return sentIds.isEmpty() && !deletingIds;
    }
  }

  @Override
  public void run() {
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
}
