package dev.ferry.internal.runtime;

import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import java.time.Duration;
import java.util.UUID;

/** The core configuration, read and validated once at start-up. */
record RuntimeSettings(
    String serviceName,
    String nodeId,
    String transport,
    int listenerConcurrency,
    int listenerPrefetch,
    int listenerMaxBatch,
    boolean durableInbox,
    int senderBatchSize,
    int senderParallelism,
    int senderBuffer,
    int senderMaxDestinations,
    Duration sendTimeout,
    int circuitBreakerFailures,
    Duration circuitBreakerProbeInterval,
    Duration requestTimeout,
    int requestMaxPending,
    Duration outboxLease,
    Duration outboxPollInterval,
    int outboxBatchSize,
    boolean nativeDeadLetter,
    Duration shutdownTimeout,
    Duration handlerTimeout) {

  static RuntimeSettings from(FerryConfig c) {
    return from(c, c.require(FerryKeys.TRANSPORT), c.get(FerryKeys.NODE_ID));
  }

  static RuntimeSettings from(FerryConfig c, String transport, String nodeId) {
    String node = nodeId;
    if (node == null) {
      node = c.require(FerryKeys.SERVICE_NAME) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
    return new RuntimeSettings(
        c.require(FerryKeys.SERVICE_NAME),
        node,
        transport,
        atLeast(c, FerryKeys.LISTENER_CONCURRENCY, 1),
        atLeast(c, FerryKeys.LISTENER_PREFETCH, 0),
        atLeast(c, FerryKeys.LISTENER_MAX_BATCH, 1),
        c.require(FerryKeys.DURABLE_INBOX),
        atLeast(c, FerryKeys.SENDER_BATCH_SIZE, 1),
        atLeast(c, FerryKeys.SENDER_PARALLELISM, 1),
        atLeast(c, FerryKeys.SENDER_BUFFER, 1),
        atLeast(c, FerryKeys.SENDER_MAX_DESTINATIONS, 1),
        c.require(FerryKeys.SEND_TIMEOUT),
        atLeast(c, FerryKeys.CIRCUIT_FAILURES, 1),
        c.require(FerryKeys.CIRCUIT_PROBE),
        c.require(FerryKeys.REQUEST_TIMEOUT),
        atLeast(c, FerryKeys.REQUEST_MAX_PENDING, 1),
        c.require(FerryKeys.OUTBOX_LEASE),
        c.require(FerryKeys.OUTBOX_POLL_INTERVAL),
        atLeast(c, FerryKeys.OUTBOX_BATCH, 1),
        c.require(FerryKeys.NATIVE_DEAD_LETTER),
        c.require(FerryKeys.SHUTDOWN_TIMEOUT),
        c.require(FerryKeys.HANDLER_TIMEOUT));
  }

  private static int atLeast(FerryConfig c, dev.ferry.config.ConfigKey<Integer> key, int min) {
    int v = c.require(key);
    if (v < min) {
      throw new dev.ferry.ConfigurationException(key.name() + " must be >= " + min + ", was " + v);
    }
    return v;
  }
}
