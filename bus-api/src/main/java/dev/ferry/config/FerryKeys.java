package dev.ferry.config;

import static dev.ferry.config.ConfigKey.Type.BOOLEAN;
import static dev.ferry.config.ConfigKey.Type.DURATION;
import static dev.ferry.config.ConfigKey.Type.INT;
import static dev.ferry.config.ConfigKey.Type.LIST;
import static dev.ferry.config.ConfigKey.Type.STRING;

import java.time.Duration;
import java.util.List;

/** The core configuration keys. Transports and stores declare their own beside their code. */
public final class FerryKeys {
  private FerryKeys() {}

  public static final ConfigKey<String> SERVICE_NAME =
      ConfigKey.of(
          "ferry.service-name",
          STRING,
          "app",
          "Name of this service; topic subscriptions and the message source are named after it.",
          "serviceName");

  public static final ConfigKey<String> NODE_ID =
      ConfigKey.of(
          "ferry.node-id",
          STRING,
          null,
          "Unique id of this process; owns outbox leases and names its reply queue. Default: a"
              + " random id per start.",
          "nodeId");

  public static final ConfigKey<String> TRANSPORT =
      ConfigKey.of(
          "ferry.transport",
          STRING,
          "local",
          "The transport: local (in-memory), jms or servicebus.",
          "transport");

  public static final ConfigKey<List<String>> OBSERVERS =
      ConfigKey.of(
          "ferry.observers",
          LIST,
          null,
          "Message observers to install by name (comma-separated), found on the class path: e.g."
              + " opentelemetry (ferry-opentelemetry: traces and metrics through"
              + " GlobalOpenTelemetry).",
          "observers");

  public static final ConfigKey<List<String>> SCAN_PACKAGES =
      ConfigKey.of(
          "ferry.handlers.scan-packages",
          LIST,
          null,
          "Packages searched for classes with @Handles methods (comma-separated).",
          "scanPackages");

  public static final ConfigKey<List<String>> ROUTES =
      ConfigKey.of(
          "ferry.routes",
          LIST,
          null,
          "Explicit routes, alias=address pairs, e.g. orders.place-order.v1=queue:orders. Wins over"
              + " the convention.",
          "route");

  public static final ConfigKey<Integer> LISTENER_CONCURRENCY =
      ConfigKey.of(
          "ferry.listener.concurrency",
          INT,
          "4",
          "Messages handled at once per listening endpoint.",
          "ListenerOptions.concurrency");

  public static final ConfigKey<Integer> LISTENER_PREFETCH =
      ConfigKey.of(
          "ferry.listener.prefetch",
          INT,
          "16",
          "Messages a listener may buffer ahead of its handlers.",
          "ListenerOptions.prefetch");

  public static final ConfigKey<Integer> LISTENER_MAX_BATCH =
      ConfigKey.of(
          "ferry.listener.max-batch",
          INT,
          "1",
          "Messages a listener handles in one unit of work when they are waiting; batches cut"
              + " database round trips on durable endpoints.",
          "ListenerOptions.maxBatch");

  public static final ConfigKey<Boolean> DURABLE_INBOX =
      ConfigKey.of(
          "ferry.inbox.durable",
          BOOLEAN,
          "true",
          "Record handled message ids in the store's inbox (when the store is durable) so that"
              + " redelivered duplicates are skipped.",
          "ListenerOptions.durableInbox");

  public static final ConfigKey<Integer> SENDER_BATCH_SIZE =
      ConfigKey.of(
          "ferry.sender.batch-size",
          INT,
          "100",
          "Outgoing messages sent to one destination in one transport batch at most.",
          "SenderOptions.batchSize");

  public static final ConfigKey<Integer> SENDER_PARALLELISM =
      ConfigKey.of(
          "ferry.sender.parallelism",
          INT,
          "2",
          "Sender loops per destination, each with its own transport session, so that one fills"
              + " a batch while another waits for the broker; 1 keeps a destination's messages in"
              + " send order.",
          "SenderOptions.parallelism");

  public static final ConfigKey<Integer> SENDER_BUFFER =
      ConfigKey.of(
          "ferry.sender.buffer",
          INT,
          "10000",
          "Outgoing messages buffered per destination; when full, senders wait (back pressure).",
          "SenderOptions.buffer");

  public static final ConfigKey<Integer> SENDER_MAX_DESTINATIONS =
      ConfigKey.of(
          "ferry.sender.max-destinations",
          INT,
          "64",
          "Destinations with live senders at once (each holds its threads and buffer); reply"
              + " addresses come from the wire, so the least recently used idle ones are closed"
              + " to make room, and while all are busy new destinations wait in the outbox.",
          "SenderOptions.maxDestinations");

  public static final ConfigKey<Duration> SEND_TIMEOUT =
      ConfigKey.of(
          "ferry.sender.timeout",
          DURATION,
          "30s",
          "How long a caller waits for room in a full buffer before BackPressureException.",
          "SenderOptions.timeout");

  public static final ConfigKey<Integer> CIRCUIT_FAILURES =
      ConfigKey.of(
          "ferry.sender.circuit-breaker.failures",
          INT,
          "5",
          "Consecutive send failures that open a destination's circuit; then messages are only"
              + " stored until a probe succeeds.",
          "SenderOptions.circuitBreakerFailures");

  public static final ConfigKey<Duration> CIRCUIT_PROBE =
      ConfigKey.of(
          "ferry.sender.circuit-breaker.probe-interval",
          DURATION,
          "2s",
          "How often an open circuit probes its destination.",
          "SenderOptions.circuitBreakerProbeInterval");

  public static final ConfigKey<Duration> REQUEST_TIMEOUT =
      ConfigKey.of(
          "ferry.request.timeout",
          DURATION,
          "30s",
          "Default time to wait for a reply.",
          "RequestOptions.timeout");

  public static final ConfigKey<Duration> HANDLER_TIMEOUT =
      ConfigKey.of(
          "ferry.handler.timeout",
          DURATION,
          "5m",
          "How long the handlers of one message may run (in a batch: each message); then the handling thread is"
              + " interrupted and the attempt fails with HandlerTimeoutException (its unit of work"
              + " rolls back) and the error policy decides. 0s turns it off.",
          "ListenerOptions.handlerTimeout");

  public static final ConfigKey<Integer> REQUEST_MAX_PENDING =
      ConfigKey.of(
          "ferry.request.max-pending",
          INT,
          "10000",
          "Requests waiting for replies at most; more fail with BackPressureException.",
          "RequestOptions.maxPending");

  public static final ConfigKey<Duration> OUTBOX_LEASE =
      ConfigKey.of(
          "ferry.outbox.lease",
          DURATION,
          "30s",
          "How long a node owns outgoing messages it claimed; other nodes take them over after.",
          "OutboxOptions.lease");

  public static final ConfigKey<Duration> OUTBOX_POLL_INTERVAL =
      ConfigKey.of(
          "ferry.outbox.poll-interval",
          DURATION,
          "500ms",
          "How often the relay looks for outgoing and scheduled messages left behind or due.",
          "OutboxOptions.pollInterval");

  public static final ConfigKey<Integer> OUTBOX_BATCH =
      ConfigKey.of(
          "ferry.outbox.batch-size",
          INT,
          "100",
          "Outgoing messages the relay claims at once.",
          "OutboxOptions.batchSize");

  public static final ConfigKey<Integer> MEMORY_OUTBOX_CAPACITY =
      ConfigKey.of(
          "ferry.memory.outbox-capacity",
          INT,
          "100000",
          "In-memory store: outgoing messages held at most (sends fail beyond it).",
          "InMemoryOptions.outboxCapacity");

  public static final ConfigKey<Integer> MEMORY_INBOX_CAPACITY =
      ConfigKey.of(
          "ferry.memory.inbox-capacity",
          INT,
          "100000",
          "In-memory store: message ids remembered for duplicate detection.",
          "InMemoryOptions.inboxCapacity");

  public static final ConfigKey<Integer> MEMORY_DEAD_LETTER_CAPACITY =
      ConfigKey.of(
          "ferry.memory.dead-letter-capacity",
          INT,
          "10000",
          "In-memory store: dead letters kept at most; the oldest are evicted with a warning.",
          "InMemoryOptions.deadLetterCapacity");

  public static final ConfigKey<String> LOCAL_BROKER =
      ConfigKey.of(
          "ferry.local.broker",
          STRING,
          "default",
          "Local transport: the in-process broker's name; buses naming the same broker talk to"
              + " each other.",
          "localBroker");

  public static final ConfigKey<Integer> LOCAL_QUEUE_CAPACITY =
      ConfigKey.of(
          "ferry.local.queue-capacity",
          INT,
          "10000",
          "Local transport: messages a queue holds at most; senders wait when it is full.",
          "InMemoryOptions.queueCapacity");

  public static final ConfigKey<String> REDELIVERY =
      ConfigKey.of(
          "ferry.errors.redelivery",
          STRING,
          "in-process",
          "How retry steps of error policies run: in-process (on the handling thread), transport"
              + " (each retry is a redelivery by the broker, as Azure Functions needs) or schedule"
              + " (each retry is a scheduled copy, at least 1 s later).",
          "redelivery");

  public static final ConfigKey<Boolean> NATIVE_DEAD_LETTER =
      ConfigKey.of(
          "ferry.dead-letter.native",
          BOOLEAN,
          "false",
          "Use the transport's own dead-letter queue instead of the store's dead letters.",
          "DeadLetterOptions.nativeQueue");

  public static final ConfigKey<Duration> DEAD_LETTER_RETENTION =
      ConfigKey.of(
          "ferry.dead-letter.retention",
          DURATION,
          null,
          "How long dead letters are kept; older ones are purged in the background. Unset keeps"
              + " them until they are replayed or purged.",
          "DeadLetterOptions.retention");

  public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT =
      ConfigKey.of(
          "ferry.shutdown.timeout",
          DURATION,
          "30s",
          "How long close() waits for in-flight handlers and outgoing messages.",
          "shutdownTimeout");

  /** Every core key, in reference order. */
  public static List<ConfigKey<?>> all() {
    return List.of(
        SERVICE_NAME,
        NODE_ID,
        TRANSPORT,
        OBSERVERS,
        SCAN_PACKAGES,
        ROUTES,
        LISTENER_CONCURRENCY,
        LISTENER_PREFETCH,
        LISTENER_MAX_BATCH,
        DURABLE_INBOX,
        SENDER_BATCH_SIZE,
        SENDER_PARALLELISM,
        SENDER_BUFFER,
        SENDER_MAX_DESTINATIONS,
        SEND_TIMEOUT,
        CIRCUIT_FAILURES,
        CIRCUIT_PROBE,
        REQUEST_TIMEOUT,
        REQUEST_MAX_PENDING,
        HANDLER_TIMEOUT,
        OUTBOX_LEASE,
        OUTBOX_POLL_INTERVAL,
        OUTBOX_BATCH,
        MEMORY_OUTBOX_CAPACITY,
        MEMORY_INBOX_CAPACITY,
        MEMORY_DEAD_LETTER_CAPACITY,
        LOCAL_BROKER,
        LOCAL_QUEUE_CAPACITY,
        REDELIVERY,
        NATIVE_DEAD_LETTER,
        DEAD_LETTER_RETENTION,
        SHUTDOWN_TIMEOUT);
  }
}
