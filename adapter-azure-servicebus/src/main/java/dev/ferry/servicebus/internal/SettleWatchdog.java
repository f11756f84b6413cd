package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import dev.ferry.Address;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a settlement, logging a failure (the message then comes back when its lock expires). A
 * settlement still blocked after the settle timeout is interrupted, so that a slot of the processor
 * is never lost to a settlement that will not end: the SDK's own timeouts do not always end one
 * whose link went away with the connection.
 */
final class SettleWatchdog {
  // Under the listener's name: what operators filter and alert on for a listener.
  private static final Logger log = LoggerFactory.getLogger(ServiceBusListener.class);

  private final Address source;
  private final ScheduledExecutorService timer;
  private final Duration timeout;

  SettleWatchdog(Address source, ScheduledExecutorService timer, Duration timeout) {
    this.source = source;
    this.timer = timer;
    this.timeout = timeout;
  }

  void settle(String what, ServiceBusReceivedMessage m, Runnable action) {
    Thread settling = Thread.currentThread();
    Object guard = new Object();
    boolean[] done = {false};
    ScheduledFuture<?> watchdog =
        timer.schedule(
            () -> {
              synchronized (guard) {
                if (!done[0]) {
                  settling.interrupt();
                }
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn(
          "Could not {} message {} (sequence {}) on {}; Service Bus redelivers it when its lock"
              + " expires: {}",
          what,
          m.getMessageId(),
          m.getSequenceNumber(),
          source,
          Thread.currentThread().isInterrupted() || hasInterruption(e)
              ? "no answer within " + timeout
              : e.toString());
    } finally {
      watchdog.cancel(false);
      synchronized (guard) {
        done[0] = true;
        Thread.interrupted(); // a late watchdog's interrupt must not leak into the SDK's thread
      }
    }
  }

  private static boolean hasInterruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }
}
