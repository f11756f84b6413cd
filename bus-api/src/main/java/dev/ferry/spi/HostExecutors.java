package dev.ferry.spi;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Thread supply of the host. In Java SE the bus owns bounded pools; a Jakarta EE host supplies
 * managed executors instead, since the container forbids unmanaged threads.
 */
public interface HostExecutors {

  /** Bounded pools of plain daemon threads: the default in Java SE. */
  static HostExecutors bounded() {
    return new BoundedHostExecutors(BoundedHostExecutors::daemonThreads);
  }

  /**
   * Bounded pools whose threads come from {@code factory}, e.g. a Jakarta EE {@code
   * ManagedThreadFactory}, so long-running listener loops run on container-managed threads without
   * occupying the container's shared executor.
   */
  static HostExecutors bounded(java.util.concurrent.ThreadFactory factory) {
    return new BoundedHostExecutors(name -> factory);
  }

  /**
   * An executor running at most {@code threads} tasks at once. Submitting more blocks or is
   * rejected; it never queues without bound.
   */
  ExecutorService workers(String name, int threads);

  /** For timers (scheduled messages, leases, request timeouts). Tasks must be short. */
  ScheduledExecutorService scheduler();

  /**
   * Whether the runtime shuts down the executors it got. False for managed executors, which belong
   * to the container.
   */
  boolean ownsExecutors();
}
