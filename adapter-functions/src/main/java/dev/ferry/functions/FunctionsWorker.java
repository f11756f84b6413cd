package dev.ferry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.ConfigurationException;
import dev.ferry.MessageBus;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.functions.internal.FunctionsTransport;
import dev.ferry.functions.internal.InvocationSends;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.JdbiStoreKeys;
import dev.ferry.servicebus.ServiceBusKeys;
import dev.ferry.servicebus.ServiceBusTransport;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry in one Functions worker process: the bus, built once, and the triggers through which
 * invocations hand it their messages. {@link FerryFunctions} keeps the worker's instance; tests and
 * apps that manage their own build one with {@link #builder()}.
 *
 * <p>In Functions the host receives and settles, so the bus differs from other hosts in three
 * defaults: error-policy retries are redeliveries by Service Bus ({@code
 * ferry.errors.redelivery=transport}) rather than held in process; {@code ferry.transport} is
 * {@code servicebus}; and the Service Bus connection is the triggers' ({@link
 * FunctionsKeys#CONNECTION_SETTING}). Each is overridden by setting it.
 */
public final class FunctionsWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FunctionsWorker.class);

  private final MessageBus bus;
  private final FunctionsTransport transport;
  private final InvocationSends sends;
  private final Duration flushTimeout;
  private final boolean nativeDeadLetter;
  private final int maxBodySize;
  private final Duration storeOutageHold;
  private volatile boolean closing;

  private FunctionsWorker(
      MessageBus bus,
      FunctionsTransport transport,
      InvocationSends sends,
      Duration flushTimeout,
      boolean nativeDeadLetter,
      int maxBodySize,
      Duration storeOutageHold) {
    this.bus = bus;
    this.transport = transport;
    this.sends = sends;
    this.flushTimeout = flushTimeout;
    this.nativeDeadLetter = nativeDeadLetter;
    this.maxBodySize = maxBodySize;
    this.storeOutageHold = storeOutageHold;
  }

  public static Builder builder() {
    return new Builder();
  }

  public MessageBus bus() {
    return bus;
  }

  /** The trigger of a function bound to {@code queueName}. */
  public ServiceBusTrigger queue(String queueName) {
    return new ServiceBusTrigger(() -> this, Address.queue(queueName).on(transport.name()));
  }

  /** The trigger of a function bound to a subscription of {@code topicName}. */
  public ServiceBusTrigger subscription(String topicName, String subscriptionName) {
    return new ServiceBusTrigger(
        () -> this, Address.subscription(topicName, subscriptionName).on(transport.name()));
  }

  /**
   * Sends what a function that is not Service Bus triggered (an HTTP order API, say) sent through
   * {@link #bus()}, before it returns; what cannot be sent in time stays in the outbox.
   *
   * @return whether everything was sent
   */
  public boolean flush(ExecutionContext context) {
    return awaitSent(ServiceBusTrigger.invocationId(context));
  }

  private boolean awaitSent(String invocationId) {
    boolean done = bus.awaitSent(flushTimeout);
    if (!done) {
      log.warn(
          "Invocation {} returns with messages still unsent after {}; they stay in the outbox"
              + " and the sweeper sends them",
          invocationId,
          flushTimeout);
    }
    return done;
  }

  FunctionsTransport transport() {
    return transport;
  }

  boolean nativeDeadLetter() {
    return nativeDeadLetter;
  }

  /** How long an invocation holds its messages while the store does not answer. */
  Duration storeOutageHold() {
    return storeOutageHold;
  }

  /** Whether the worker is closing: held invocations give their messages back. */
  boolean closing() {
    return closing;
  }

  /** The receive limit of the triggers ({@code ferry.servicebus.max-body-size}). */
  int maxBodySize() {
    return maxBodySize;
  }

  /** Whether the sending transport failed to start, so that this worker can send nothing. */
  boolean broken() {
    return transport.startFailure() != null;
  }

  /** See {@link FerryFunctions#sweep}. */
  public boolean sweep(ExecutionContext context) {
    boolean done = bus.flush(flushTimeout);
    if (!done) {
      log.warn(
          "Sweep {} ran out of time ({}); the next sweep sends the rest",
          ServiceBusTrigger.invocationId(context),
          flushTimeout);
    }
    return done;
  }

  /** Starts an invocation on the calling thread. */
  void beginInvocation() {
    sends.begin();
  }

  /**
   * Ends an invocation: waits for what it sent; what is left stays in the outbox for the sweeper.
   */
  void endInvocation(String invocationId) {
    if (!sends.end()) {
      return; // nothing to wait for
    }
    try {
      awaitSent(invocationId);
    } catch (RuntimeException e) {
      log.warn("Invocation {} could not flush its messages: {}", invocationId, e.toString());
    }
  }

  @Override
  public void close() {
    closing = true;
    bus.close();
  }

  /** Builds a worker; values set here win over the app settings. */
  public static final class Builder {
    private final ConfigOverrides overrides = new ConfigOverrides();
    private final List<Consumer<BusBuilder>> customizers = new ArrayList<>();
    private FerryConfig config;
    private Transport transport;
    private EnvelopeStore store;

    private Builder() {}

    /** The settings to read instead of the environment (tests). */
    public Builder config(FerryConfig config) {
      this.config = config;
      return this;
    }

    /** Configures the bus: handlers, routes, error policies, observers. */
    public Builder bus(Consumer<BusBuilder> customizer) {
      customizers.add(customizer);
      return this;
    }

    /** The transport to send with, instead of the one {@code ferry.transport} names. */
    public Builder transport(Transport transport) {
      this.transport = transport;
      return this;
    }

    /**
     * The store, instead of the JDBI store that {@code ferry.store.jdbc-url} configures (or the
     * in-memory one without it).
     */
    public Builder store(EnvelopeStore store) {
      this.store = store;
      return this;
    }

    public Builder flushTimeout(Duration timeout) {
      return set(FunctionsKeys.FLUSH_TIMEOUT, timeout);
    }

    /**
     * Largest body a trigger hands to the handlers ({@code ferry.servicebus.max-body-size}, the
     * Service Bus transport's key); a larger one becomes a dead letter.
     */
    public Builder maxBodySize(int bytes) {
      return set(ServiceBusKeys.MAX_BODY_SIZE, bytes);
    }

    public Builder storeOutageHold(Duration hold) {
      return set(FunctionsKeys.STORE_OUTAGE_HOLD, hold);
    }

    public Builder connectionSetting(String appSetting) {
      return set(FunctionsKeys.CONNECTION_SETTING, appSetting);
    }

    private Builder set(ConfigKey<?> key, Object value) {
      overrides.set(key, value);
      return this;
    }

    public FunctionsWorker build() {
      FerryConfig settings = functionsDefaults(overrides.over(config));
      if (transport == null) {
        checkConnection(settings);
      }
      Duration flushTimeout = settings.require(FunctionsKeys.FLUSH_TIMEOUT);
      int maxBodySize = settings.require(ServiceBusKeys.MAX_BODY_SIZE);
      Duration storeOutageHold = settings.require(FunctionsKeys.STORE_OUTAGE_HOLD);
      if (storeOutageHold.isNegative()) {
        throw new ConfigurationException(
            FunctionsKeys.STORE_OUTAGE_HOLD.name() + " must not be negative: " + storeOutageHold);
      }
      if (maxBodySize < 1) {
        throw new ConfigurationException(
            ServiceBusKeys.MAX_BODY_SIZE.name() + " must be >= 1, was " + maxBodySize);
      }
      Transport sending =
          transport != null
              ? transport
              : TransportFactory.load(settings.require(FerryKeys.TRANSPORT), settings);
      FunctionsTransport functions = new FunctionsTransport(sending);
      InvocationSends sends = new InvocationSends();
      BusBuilder bus = MessageBus.builder().config(settings).transport(functions).observer(sends);
      EnvelopeStore chosen = store != null ? store : storeFrom(settings);
      if (chosen != null) {
        bus.store(chosen);
      } else {
        log.warn(
            "Ferry runs without a durable store in this function app: messages sent by handlers"
                + " are lost if the worker stops before they reach the broker, and redelivered"
                + " duplicates are handled again. Set ferry.store.jdbc-url (FERRY_STORE_JDBC_URL).");
      }
      customizers.forEach(c -> c.accept(bus));
      try {
        return new FunctionsWorker(
            bus.build(),
            functions,
            sends,
            flushTimeout,
            settings.require(FerryKeys.NATIVE_DEAD_LETTER),
            maxBodySize,
            storeOutageHold);
      } catch (RuntimeException e) {
        // The bus closes what it started; what failed before that is closed here.
        if (store == null && chosen != null) {
          closeQuietly(chosen::close);
        }
        if (transport == null) {
          closeQuietly(functions::close);
        }
        throw e;
      }
    }

    private static EnvelopeStore storeFrom(FerryConfig settings) {
      String url = settings.get(JdbiStoreKeys.JDBC_URL);
      if (url == null || url.isBlank()) {
        return null;
      }
      return JdbiEnvelopeStore.builder().config(settings).build();
    }

    private static void closeQuietly(Runnable close) {
      try {
        close.run();
      } catch (RuntimeException ignored) {
        // the build's own failure is the one to report
      }
    }

    /**
     * The Functions defaults, under every explicit setting: retries by redelivery, Service Bus, and
     * the triggers' connection for sending.
     */
    private static FerryConfig functionsDefaults(FerryConfig base) {
      Map<String, String> defaults = new HashMap<>();
      if (base.raw(FerryKeys.REDELIVERY.name()).isEmpty()) {
        defaults.put(FerryKeys.REDELIVERY.name(), "transport");
      }
      if (base.raw(FerryKeys.TRANSPORT.name()).isEmpty()) {
        defaults.put(FerryKeys.TRANSPORT.name(), ServiceBusTransport.NAME);
      }
      String connection = ServiceBusKeys.CONNECTION_STRING.name();
      String namespace = ServiceBusKeys.NAMESPACE.name();
      if (base.raw(connection).isEmpty() && base.raw(namespace).isEmpty()) {
        String setting = base.require(FunctionsKeys.CONNECTION_SETTING);
        String value = appSetting(setting);
        String fqns = appSetting(setting + "__fullyQualifiedNamespace");
        if (value != null && !value.isBlank()) {
          defaults.put(connection, value);
        } else if (fqns != null && !fqns.isBlank()) {
          defaults.put(namespace, fqns);
        }
      }
      // Only keys the app leaves unset get a default, so laying them over changes nothing else.
      return defaults.isEmpty() ? base : base.withOverrides(defaults);
    }

    /**
     * Fails the build, not the first send, when Service Bus has no connection: the Service Bus
     * client itself starts in the background (see {@link FunctionsTransport#start}).
     */
    private static void checkConnection(FerryConfig settings) {
      if (!ServiceBusTransport.NAME.equals(settings.get(FerryKeys.TRANSPORT))) {
        return;
      }
      boolean connectionString =
          settings
              .raw(ServiceBusKeys.CONNECTION_STRING.name())
              .filter(v -> !v.isBlank())
              .isPresent();
      boolean namespace =
          settings.raw(ServiceBusKeys.NAMESPACE.name()).filter(v -> !v.isBlank()).isPresent();
      if (!connectionString && !namespace) {
        String setting = settings.require(FunctionsKeys.CONNECTION_SETTING);
        throw new ConfigurationException(
            "Ferry has no Service Bus connection: set the app setting "
                + setting
                + " (the triggers' connection, named by "
                + FunctionsKeys.CONNECTION_SETTING.name()
                + "), "
                + setting
                + "__fullyQualifiedNamespace, "
                + ServiceBusKeys.CONNECTION_STRING.name()
                + " or "
                + ServiceBusKeys.NAMESPACE.name());
      }
    }

    /** An app setting: an environment variable, or a system property of the same name. */
    private static String appSetting(String name) {
      String value = System.getenv(name);
      return value != null ? value : System.getProperty(name);
    }
  }
}
