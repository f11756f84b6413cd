package dev.ferry.testkit.servicebus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An Azure Service Bus test double: an AMQP 1.0 server on 127.0.0.1 that the unmodified Azure
 * Service Bus Java SDK talks to over plain TCP, using {@code UseDevelopmentEmulator=true}.
 *
 * <pre>{@code
 * try (ServiceBusTestDouble bus = ServiceBusTestDouble.builder()
 *     .queue("orders", EntitySettings.defaults().withMaxDeliveryCount(3))
 *     .topic("events", TopicSettings.defaults().withSubscription("billing"))
 *     .start()) {
 *   new ServiceBusClientBuilder().connectionString(bus.connectionString()) ...
 *   assertThat(bus.entity("orders").deadLetterCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe: the server runs on its own reactor thread and every method here hops onto it. The
 * README beside this module's pom lists what is implemented and which wire facts its tests pin.
 */
public final class ServiceBusTestDouble implements AutoCloseable {

  /** The service's default for the Standard tier, and what the double advertises on attach. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;

  private final Broker broker;
  private final OperationLog log;
  private final int maxMessageSize;
  private final int port;
  private volatile ReactorLoop loop;

  private ServiceBusTestDouble(Builder builder) throws IOException {
    // Real time, as the SDK's lock renewal uses; milliseconds, as AMQP timestamps carry.
    Clock clock = Clock.tickMillis(ZoneOffset.UTC);
    EntityRegistry registry = new EntityRegistry(builder.autoCreateEntities);
    builder.queues.forEach(registry::createQueue);
    builder.topics.forEach(registry::createTopic);
    this.log = new OperationLog(clock);
    this.broker = new Broker(registry, log, clock);
    this.maxMessageSize = builder.maxMessageSize;
    this.loop =
        new ReactorLoop(new ServerHandler(broker, maxMessageSize), "127.0.0.1", builder.port);
    this.port = loop.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port actually bound (useful when the builder asked for port 0). */
  public int port() {
    return port;
  }

  /**
   * A connection string the SDK accepts: plain AMQP on {@link #port()}. The key is a placeholder;
   * the double accepts any token.
   */
  public String connectionString() {
    return "Endpoint=sb://localhost:"
        + port
        + ";SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true";
  }

  public void createQueue(String name, EntitySettings settings) {
    loop.call(() -> broker.registry.createQueue(name, settings));
  }

  public void createTopic(String name, TopicSettings settings) {
    loop.call(() -> broker.registry.createTopic(name, settings));
  }

  /**
   * What an entity holds now: a queue, a subscription ({@code topic/subscriptions/name}), a
   * dead-letter sub-queue, or a topic (its not yet due scheduled messages). Paths ignore case.
   */
  public EntitySnapshot entity(String path) {
    return loop.call(() -> Snapshots.of(broker.registry.managementTarget(path)));
  }

  /** Messages in a queue's or subscription's dead-letter sub-queue. */
  public List<MessageSnapshot> deadLetters(String path) {
    return entity(path).deadLetters();
  }

  /** Everything the double has done so far, oldest first. */
  public List<Operation> operations() {
    return log.snapshot();
  }

  /** Operations with the given name ({@code renew-lock}, {@code complete}, ...), oldest first. */
  public List<Operation> operations(String name) {
    return log.snapshot().stream().filter(operation -> operation.name().equals(name)).toList();
  }

  public void clearOperations() {
    log.clear();
  }

  /**
   * Goes down as a broker process does: closes every client connection and releases the port, but
   * keeps the entities and their messages (locks held by the closed connections run out as usual).
   * {@link #restart()} brings it back on the same port; inspection works meanwhile.
   */
  public synchronized void stop() {
    loop.stop();
  }

  /** Serves again on the same port, with the entities and messages it had when it stopped. */
  public synchronized void restart() {
    if (isRunning()) {
      throw new IllegalStateException("The Service Bus double is running");
    }
    try {
      ReactorLoop next =
          new ReactorLoop(new ServerHandler(broker, maxMessageSize), "127.0.0.1", port);
      next.start();
      loop = next;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on port " + port + " again", e);
    }
  }

  /** Whether it accepts connections (false after {@link #stop()} or {@link #close()}). */
  public boolean isRunning() {
    return loop.isRunning();
  }

  /** Closes every client connection (with a close frame) and releases the port. */
  @Override
  public synchronized void close() {
    loop.stop();
  }

  /** Entities and limits of a double; {@link #start()} binds the port. */
  public static final class Builder {
    private final Map<String, EntitySettings> queues = new LinkedHashMap<>();
    private final Map<String, TopicSettings> topics = new LinkedHashMap<>();
    private boolean autoCreateEntities;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int port;

    private Builder() {}

    public Builder queue(String name) {
      return queue(name, EntitySettings.defaults());
    }

    public Builder queue(String name, EntitySettings settings) {
      queues.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(settings));
      return this;
    }

    public Builder topic(String name, TopicSettings settings) {
      topics.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(settings));
      return this;
    }

    /**
     * Creates an unknown queue (or topic subscription) with default settings on first use, instead
     * of refusing with amqp:not-found (MESSAGING_ENTITY_NOT_FOUND in the SDK).
     */
    public Builder autoCreateEntities(boolean value) {
      this.autoCreateEntities = value;
      return this;
    }

    /** The max-message-size sent on attach and enforced on every transfer. */
    public Builder maxMessageSize(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes");
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public ServiceBusTestDouble start() {
      try {
        return new ServiceBusTestDouble(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
