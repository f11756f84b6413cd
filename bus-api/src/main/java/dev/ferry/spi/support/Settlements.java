package dev.ferry.spi.support;

import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping of the runtime's decisions onto a transport's settlement, used by every listener
 * and by the Functions trigger.
 */
public final class Settlements {
  private static final Logger log = LoggerFactory.getLogger(Settlements.class);

  /** How long a transport waits before it takes a batch again that the runtime could not handle. */
  public static final Duration RUNTIME_FAILURE_PAUSE = Duration.ofSeconds(1);

  private Settlements() {}

  /**
   * Asks the runtime for one decision per delivery. Whatever goes wrong in the call itself (it
   * throws, even an {@link Error}, or answers with the wrong number of decisions) becomes a
   * redelivery of the whole batch: the listener calling this never dies of it.
   */
  public static List<Decision> decide(DeliveryHandler handler, List<Delivery> deliveries) {
    List<Decision> decisions;
    try {
      decisions = handler.handle(deliveries);
    } catch (RuntimeException | Error e) {
      log.error(
          "Handling {} message(s) from {} failed; they are delivered again",
          deliveries.size(),
          deliveries.isEmpty() ? "?" : deliveries.get(0).source(),
          e);
      return all(deliveries.size(), Decision.redeliverBatch(RUNTIME_FAILURE_PAUSE, e.toString()));
    }
    if (decisions == null || decisions.size() != deliveries.size() || hasNull(decisions)) {
      log.error(
          "The runtime answered {} deliveries with {}; they are delivered again",
          deliveries.size(),
          decisions);
      return all(
          deliveries.size(),
          Decision.redeliverBatch(RUNTIME_FAILURE_PAUSE, "wrong number of decisions"));
    }
    return decisions;
  }

  /**
   * Like {@link #decide}, but while the runtime cannot work ({@link DeliveryHandler#ready()} is
   * false after a batch redelivery: its store is down) the deliveries are held, not handed back: a
   * broker counts every redelivery, and an outage of seconds would use up the delivery count of
   * healthy messages and move them to its dead-letter queue. Holding keeps the listener's slots
   * busy, so it takes nothing more meanwhile: it pauses. Once the runtime answers, the deliveries
   * are decided again; a batch redelivery while the runtime answers is returned, as is one after
   * {@code maxHold} or once {@code keepHolding} turns false (the listener is closing).
   */
  public static List<Decision> decideHolding(
      DeliveryHandler handler,
      List<Delivery> deliveries,
      java.util.function.BooleanSupplier keepHolding,
      Duration maxHold) {
    List<Decision> decisions = decide(handler, deliveries);
    long deadline = System.nanoTime() + Math.min(maxHold.toNanos(), Long.MAX_VALUE / 4);
    boolean held = false;
    while (batchRedelivery(decisions) != null && !ready(handler)) {
      if (!held) {
        held = true;
        log.warn(
            "The runtime cannot work ({}); holding {} message(s) from {} until it answers",
            batchRedelivery(decisions).cause(),
            deliveries.size(),
            deliveries.isEmpty() ? "?" : deliveries.get(0).source());
      }
      if (!waitUntilReady(handler, keepHolding, deadline)) {
        return decisions;
      }
      decisions = decide(handler, deliveries);
    }
    if (held) {
      log.info(
          "The runtime answers again; {} held message(s) from {} decided",
          deliveries.size(),
          deliveries.isEmpty() ? "?" : deliveries.get(0).source());
    }
    return decisions;
  }

  /** How often a holding listener asks whether the runtime answers again. */
  static final Duration HOLD_POLL = Duration.ofMillis(500);

  private static boolean waitUntilReady(
      DeliveryHandler handler, java.util.function.BooleanSupplier keepHolding, long deadline) {
    while (keepHolding.getAsBoolean() && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(HOLD_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (ready(handler)) {
        return true;
      }
    }
    return false;
  }

  private static boolean ready(DeliveryHandler handler) {
    try {
      return handler.ready();
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  /** The batch redelivery among the decisions, or null when each message is settled on its own. */
  public static Decision.RedeliverBatch batchRedelivery(List<Decision> decisions) {
    Decision.RedeliverBatch longest = null;
    for (Decision d : decisions) {
      if (d instanceof Decision.RedeliverBatch r
          && (longest == null || r.pause().compareTo(longest.pause()) > 0)) {
        longest = r;
      }
    }
    return longest;
  }

  /**
   * Carries out the decisions, in order: when any of them is a batch redelivery, every message is
   * given back (once, with the longest pause asked for); otherwise each is settled as decided.
   *
   * @return false when the batch was given back
   */
  public static <M> boolean settle(
      List<M> messages,
      List<Delivery> deliveries,
      List<Decision> decisions,
      NativeSettlement<M> target)
      throws Exception {
    if (messages.size() != deliveries.size() || deliveries.size() != decisions.size()) {
      throw new IllegalArgumentException(
          messages.size() + " messages, " + deliveries.size() + " deliveries, " + decisions);
    }
    Decision.RedeliverBatch again = batchRedelivery(decisions);
    if (again != null) {
      log.debug("Giving back {} message(s): {}", messages.size(), again.cause());
      target.redeliverAll(messages, again);
      return false;
    }
    for (int i = 0; i < messages.size(); i++) {
      M m = messages.get(i);
      Delivery d = deliveries.get(i);
      Decision decision = decisions.get(i);
      if (decision.acknowledges()) {
        target.acknowledge(m);
      } else if (decision instanceof Decision.Requeue r) {
        target.requeue(m, d, r);
      } else if (decision instanceof Decision.DeadLetter dl) {
        if (target.hasNativeDeadLetter()) {
          target.deadLetter(m, d, dl);
        } else {
          log.error(
              "The transport has no native dead-letter queue; {} is acknowledged: {}",
              d.envelope().id(),
              dl.reason());
          target.acknowledge(m);
        }
      } else {
        throw new IllegalStateException("Unknown decision " + decision);
      }
    }
    return true;
  }

  /** Without {@code contains(null)}, which immutable lists refuse. */
  private static boolean hasNull(List<Decision> decisions) {
    for (Decision d : decisions) {
      if (d == null) {
        return true;
      }
    }
    return false;
  }

  private static List<Decision> all(int n, Decision d) {
    List<Decision> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(d);
    }
    return list;
  }
}
