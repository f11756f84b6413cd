package dev.ferry.internal.runtime;

import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.support.LogThrottle;
import dev.ferry.spi.support.LoopSupervisor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the store for what was left behind (a failed send, a crashed node's expired lease, a
 * scheduled message that became due), claims it under a lease for this node and hands it to the
 * sender agents, backing off while the store fails.
 */
final class Relay {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  /** Hands claimed envelopes to their agents; false if some were refused and released. */
  @FunctionalInterface
  interface Dispatch {
    boolean dispatch(List<OutgoingEnvelope> envelopes, Duration maxWait);
  }

  /** How long the relay waits for room in the senders' buffers before it moves on. */
  private static final long RELAY_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  /** How long one relay pass may keep claiming before it gives the timer thread back. */
  private static final long RELAY_PASS_NANOS = TimeUnit.SECONDS.toNanos(2);

  /** The longest a failing relay waits between polls. */
  private static final long MAX_RELAY_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final RuntimeSettings settings;
  private final EnvelopeStore store;
  private final HostExecutors executors;
  private final SenderAgents agents;
  private final Dispatch dispatch;

  private ScheduledFuture<?> timer;
  private volatile boolean closed;

  /** Held while a pass runs, so that close() can wait for it before the store closes. */
  private final ReentrantLock running = new ReentrantLock();

  /** Consecutive failed passes, and when the timer may run the relay again. */
  private int failures;

  private volatile long resumeNanos = System.nanoTime();

  private final LogThrottle warnings = new LogThrottle(Duration.ofMinutes(1));

  Relay(
      RuntimeSettings settings,
      EnvelopeStore store,
      HostExecutors executors,
      SenderAgents agents,
      Dispatch dispatch) {
    this.settings = settings;
    this.store = store;
    this.executors = executors;
    this.agents = agents;
    this.dispatch = dispatch;
  }

  void start() {
    long every = settings.outboxPollInterval().toMillis();
    timer =
        executors
            .scheduler()
            // The first pass at once: what is due in the store (failed sends, expired leases of
            // crashed nodes, scheduled messages) leaves on start, not a poll interval later.
            .scheduleWithFixedDelay(
                LoopSupervisor.task("relay", this::onTimer), 0, every, TimeUnit.MILLISECONDS);
  }

  /**
   * One pass now, after a pass the timer is running (it may have claimed before rows became due);
   * false if that one did not end within {@code timeout}.
   */
  boolean passNow(Duration timeout) throws InterruptedException {
    if (!running.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    try {
      pass();
    } finally {
      running.unlock();
    }
    return true;
  }

  /** A poll on the timer; skipped while backing off after failures. */
  private void onTimer() {
    if (System.nanoTime() - resumeNanos < 0) {
      return;
    }
    pass();
  }

  private void pass() {
    if (closed || !running.tryLock()) {
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
        failures = 0;
        if (claimed.isEmpty()) {
          return;
        }
        boolean allTaken =
            dispatch.dispatch(
                claimed, Duration.ofNanos(Math.min(RELAY_WAIT_NANOS, Math.max(0, left))));
        if (!allTaken || claimed.size() < settings.outboxBatchSize()) {
          return;
        }
      }
    } catch (Exception | Error e) {
      // Back off while the store keeps failing (or anything else failed): the poll interval,
      // doubled per failure, up to MAX_RELAY_BACKOFF (or the poll interval if that is longer).
      failures = Math.min(failures + 1, 16);
      long poll = settings.outboxPollInterval().toNanos();
      long backoff = Math.min(poll << Math.min(failures - 1, 10), MAX_RELAY_BACKOFF_NANOS);
      resumeNanos = System.nanoTime() + Math.max(poll, backoff) - poll;
      warnFailure(e);
    } finally {
      running.unlock();
    }
    if (more && !closed) {
      try {
        executors.scheduler().execute(LoopSupervisor.task("relay", this::onTimer));
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
    while (agents.pending() > settings.outboxBatchSize()
        && System.nanoTime() - until < 0
        && !closed) {
      LockSupport.parkNanos(200_000);
    }
  }

  /** A store outage fails every poll: one full warning a minute, a count in between. */
  private void warnFailure(Throwable e) {
    int suppressed = warnings.next();
    if (suppressed != LogThrottle.QUIET) {
      log.warn(
          "Outbox relay cannot claim messages ({} similar failures since the last warning);"
              + " it keeps retrying, backing off from {} to at most {} s",
          suppressed,
          settings.outboxPollInterval(),
          TimeUnit.NANOSECONDS.toSeconds(MAX_RELAY_BACKOFF_NANOS),
          e);
    } else {
      log.debug("Outbox relay still cannot claim messages: {}", e.toString());
    }
  }

  /** Stops polling; a pass in progress finishes first. */
  void close() {
    closed = true;
    if (timer != null) {
      timer.cancel(false);
    }
    running.lock();
    running.unlock();
  }
}
