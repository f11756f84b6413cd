package dev.ferry.internal.local;

import dev.ferry.Address;
import dev.ferry.internal.local.LocalBroker.Entry;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.support.LoopSupervisor;
import dev.ferry.spi.support.NativeSettlement;
import dev.ferry.spi.support.PollingListener;
import dev.ferry.spi.support.Settlements;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads that take from one local queue. A worker takes a message only when it is free, so
 * a slow handler leaves messages in the bounded queue and senders wait: back pressure.
 */
final class LocalListener extends PollingListener {
  private static final Logger log = LoggerFactory.getLogger(LocalListener.class);

  private final LocalBroker broker;
  private final Address source;
  private final DeliveryHandler handler;
  private final BlockingQueue<Entry> queue;

  LocalListener(
      LocalBroker broker,
      Address source,
      ListenerSettings settings,
      DeliveryHandler handler,
      HostExecutors executors) {
    super(source, settings, executors, "ferry-local-" + source.name());
    this.broker = broker;
    this.source = source;
    this.handler = handler;
    this.queue = broker.source(source);
  }

  @Override
  protected void work() {
    List<Entry> batch = new ArrayList<>(settings().maxBatch());
    LoopSupervisor supervisor = new LoopSupervisor("listener on " + source);
    try {
      while (awaitResumed()) {
        Entry first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, settings().maxBatch() - 1);
        try {
          deliver(batch);
          supervisor.succeeded();
        } catch (RuntimeException | Error unexpected) {
          batch.forEach(entry -> requeueLater(entry, Settlements.RUNTIME_FAILURE_PAUSE));
          supervisor.failed(unexpected);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      batch.forEach(entry -> broker.requeue(queue, entry, source));
    }
  }

  private void deliver(List<Entry> batch) {
    List<Delivery> deliveries = new ArrayList<>(batch.size());
    for (Entry e : batch) {
      deliveries.add(new Delivery(e.envelope(), source, e.deliveries() + 1));
    }
    List<Decision> decisions =
        Settlements.decideHolding(handler, deliveries, this::running, Duration.ofDays(3650));
    try {
      Settlements.settle(batch, deliveries, decisions, settlement);
    } catch (Exception e) {
      // The local broker's own operations do not fail; should one, the batch is given back.
      log.error("Settling a batch from {} failed; redelivering it", source, e);
      batch.forEach(entry -> requeueLater(entry, Settlements.RUNTIME_FAILURE_PAUSE));
    }
  }

  /** The local broker's settlement: it can rewrite a message, so attempts carry exactly. */
  private final NativeSettlement<Entry> settlement =
      new NativeSettlement<>() {
        @Override
        public void acknowledge(Entry entry) {}

        @Override
        public void requeue(Entry entry, Delivery delivery, Decision.Requeue requeue) {
          // Carry the exact count and restart the delivery count, so the error policy continues.
          requeueLater(
              new Entry(entry.envelope().toBuilder().attempts(requeue.attempts()).build(), 0),
              requeue.delay());
        }

        @Override
        public void deadLetter(Entry entry, Delivery delivery, Decision.DeadLetter deadLetter) {
          throw new UnsupportedOperationException("no native dead-letter queue");
        }

        @Override
        public void redeliverAll(List<Entry> entries, Decision.RedeliverBatch redeliver) {
          // Not the messages' fault: the delivery count stays as it was.
          entries.forEach(entry -> requeueLater(entry, redeliver.pause()));
        }
      };

  private void requeueLater(Entry entry, Duration delay) {
    if (delay == null || delay.isZero()) {
      broker.requeue(queue, entry, source);
    } else {
      executors()
          .scheduler()
          .schedule(
              () -> broker.requeue(queue, entry, source), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
