package dev.ferry.servicebus.internal;

import dev.ferry.spi.HostExecutors;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts listeners whose entity did not exist yet once it does: one loop on a host thread checks
 * them every interval. Service Bus entities are created by operators, and Ferry's routing
 * convention listens on a queue and a subscription for every handled type, so a missing one is
 * normal (an event type nobody sends to a queue) and must neither fail the bus nor flood the log.
 */
public final class EntityWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EntityWatcher.class);

  private final HostExecutors executors;
  private final Duration interval;
  private final List<ServiceBusListener> waiting = new CopyOnWriteArrayList<>();
  private ExecutorService thread;
  private volatile boolean running = true;

  public EntityWatcher(HostExecutors executors, Duration interval) {
    this.executors = executors;
    this.interval = interval;
  }

  public Duration interval() {
    return interval;
  }

  /** Checks {@code listener}'s entity every interval and starts it once the entity exists. */
  public synchronized void watch(ServiceBusListener listener) {
    waiting.add(listener);
    if (thread == null && running) {
      thread = executors.workers("ferry-servicebus-entities", 1);
      thread.execute(this::loop);
    }
  }

  private void loop() {
    try {
      while (running) {
        long until = System.nanoTime() + interval.toNanos();
        while (running && System.nanoTime() < until) {
          Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
        for (ServiceBusListener l : waiting) {
          if (!running) {
            return;
          }
          if (l.isClosed() || startIfExists(l)) {
            waiting.remove(l);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean startIfExists(ServiceBusListener l) {
    try {
      if (!l.entityExists()) {
        return false;
      }
    } catch (RuntimeException e) {
      log.debug("Checking {} failed; trying again later: {}", l.source(), e.toString());
      return false;
    }
    log.info("Service Bus entity of {} exists now; listening", l.source());
    l.startProcessor();
    return true;
  }

  @Override
  public synchronized void close() {
    running = false;
    waiting.clear();
    if (thread != null && executors.ownsExecutors()) {
      thread.shutdownNow();
    }
  }
}
