package dev.ferry.internal.local;

import dev.ferry.Address;
import dev.ferry.Envelope;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process broker: bounded queues, and topics whose subscriptions are queues that every
 * instance of one service competes on. Buses in one JVM that name the same broker talk to each
 * other. Nothing survives the process.
 */
final class LocalBroker {
  private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);
  private static final Map<String, LocalBroker> BROKERS = new ConcurrentHashMap<>();

  /** A queued message and how often it was delivered before. */
  record Entry(Envelope envelope, int deliveries) {}

  private final String name;
  private final int capacity;
  private final Map<String, BlockingQueue<Entry>> queues = new ConcurrentHashMap<>();
  private final Map<String, Map<String, BlockingQueue<Entry>>> topics = new ConcurrentHashMap<>();

  private LocalBroker(String name, int capacity) {
    this.name = name;
    this.capacity = capacity;
  }

  static LocalBroker named(String name, int capacity) {
    return BROKERS.computeIfAbsent(name, n -> new LocalBroker(n, capacity));
  }

  /** The queue a listener on {@code address} takes from; creates subscriptions on first use. */
  BlockingQueue<Entry> source(Address address) {
    return switch (address.kind()) {
      case QUEUE -> queue(address.name());
      case SUBSCRIPTION -> subscription(address.name(), address.subscription());
      case TOPIC ->
          throw new IllegalArgumentException(
              "Listen on a subscription of topic " + address.name() + ", not on the topic itself");
    };
  }

  private BlockingQueue<Entry> queue(String queue) {
    return queues.computeIfAbsent(queue, q -> new ArrayBlockingQueue<>(capacity));
  }

  private BlockingQueue<Entry> subscription(String topic, String subscription) {
    return topics
        .computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(subscription, s -> new ArrayBlockingQueue<>(capacity));
  }

  /** Enqueues, waiting up to {@code timeout} per message for room; throws when there is none. */
  void send(Address to, List<Envelope> envelopes, Duration timeout) throws InterruptedException {
    for (Envelope e : envelopes) {
      if (to.kind() == Address.Kind.TOPIC) {
        Map<String, BlockingQueue<Entry>> subs = topics.getOrDefault(to.name(), Map.of());
        if (subs.isEmpty()) {
          log.debug("No subscription on topic {}; message {} reaches nobody", to.name(), e.id());
        }
        for (BlockingQueue<Entry> q : subs.values()) {
          put(q, new Entry(e, 0), to, timeout);
        }
      } else {
        put(source(to), new Entry(e, 0), to, timeout);
      }
    }
  }

  void requeue(BlockingQueue<Entry> queue, Entry entry, Address source) {
    try {
      put(queue, entry, source, Duration.ofMinutes(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error(
          "Interrupted while requeueing {} on {}; it is lost with the process",
          entry.envelope().id(),
          source);
    } catch (IllegalStateException e) {
      log.error("Could not requeue {} on {}: {}", entry.envelope().id(), source, e.getMessage());
    }
  }

  private void put(BlockingQueue<Entry> q, Entry entry, Address to, Duration timeout)
      throws InterruptedException {
    if (!q.offer(entry, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(
          "Local queue "
              + to
              + " on broker '"
              + name
              + "' is full ("
              + capacity
              + " messages, ferry.local.queue-capacity)");
    }
  }

  /** Messages waiting on an address (for tests and diagnostics). */
  int depth(Address address) {
    return source(address).size();
  }
}
