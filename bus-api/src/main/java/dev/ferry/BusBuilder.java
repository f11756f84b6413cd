package dev.ferry;

import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.internal.runtime.BusSpec;
import dev.ferry.internal.runtime.RuntimeWiring;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.Serializer;
import dev.ferry.spi.Transport;
import java.lang.reflect.InvocationTargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Configures and starts a {@link MessageBus}. Every configuration key has a method here or in one
 * of the options types taken here ({@link ListenerOptions}, {@link SenderOptions}, {@link
 * OutboxOptions}, {@link RequestOptions}, {@link DeadLetterOptions}, {@link InMemoryOptions});
 * values set in code win over every other source (see {@link FerryConfig}).
 *
 * <pre>{@code
 * MessageBus bus = MessageBus.builder()
 *     .serviceName("billing")
 *     .handlers(new BillingHandlers())
 *     .onError(ErrorPolicy.on(IOException.class).retry(5).thenDeadLetter())
 *     .listeners(ListenerOptions.defaults().concurrency(8))
 *     .build();
 * }</pre>
 */
public final class BusBuilder {
  private final ConfigOverrides overrides = new ConfigOverrides();
  private final List<Object> handlerInstances = new ArrayList<>();
  private final List<BusSpec.ExplicitHandler<?>> explicitHandlers = new ArrayList<>();
  private final List<Class<?>> handlerClasses = new ArrayList<>();
  private final Map<String, Class<?>> messageTypes = new LinkedHashMap<>();
  private final List<Class<?>> annotatedTypes = new ArrayList<>();
  private final List<Class<?>> events = new ArrayList<>();
  private final Map<Class<?>, String> routes = new LinkedHashMap<>();
  private final List<ErrorPolicy> errorPolicies = new ArrayList<>();
  private final List<MessageObserver> observers = new ArrayList<>();
  private ErrorPolicy defaultPolicy;
  private Function<Class<?>, Object> handlerFactory = BusBuilder::instantiate;
  private Transport transport;
  private EnvelopeStore store;
  private Serializer serializer;
  private HostExecutors executors;
  private FerryConfig baseConfig;

  BusBuilder() {}

  private BusBuilder set(ConfigKey<?> key, Object value) {
    overrides.set(key, value);
    return this;
  }

  // ---- handlers and types ----

  /** Registers the {@link Handles} methods of these objects. */
  public BusBuilder handlers(Object... instances) {
    handlerInstances.addAll(Arrays.asList(instances));
    return this;
  }

  /** Registers handler classes, instantiated with {@link #handlerFactory(Function)}. */
  public BusBuilder handlerClasses(Class<?>... classes) {
    handlerClasses.addAll(Arrays.asList(classes));
    return this;
  }

  /** Registers a lambda handler. */
  public <T> BusBuilder handle(Class<T> messageType, MessageHandler<T> handler) {
    explicitHandlers.add(
        new BusSpec.ExplicitHandler<>(
            messageType, handler, "lambda(" + messageType.getSimpleName() + ")"));
    return this;
  }

  /** Creates instances of scanned or listed handler classes; default: the no-arg constructor. */
  public BusBuilder handlerFactory(Function<Class<?>, Object> factory) {
    this.handlerFactory = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /** Packages searched for handler classes ({@code ferry.handlers.scan-packages}). */
  public BusBuilder scanPackages(String... packages) {
    return set(FerryKeys.SCAN_PACKAGES, String.join(",", packages));
  }

  /** Registers message types by their {@link MessageType} annotation. */
  public BusBuilder messageTypes(Class<?>... types) {
    annotatedTypes.addAll(Arrays.asList(types));
    return this;
  }

  /** Registers a message type under an explicit alias (for classes you cannot annotate). */
  public BusBuilder messageType(String alias, Class<?> type) {
    messageTypes.put(alias, type);
    return this;
  }

  /**
   * Declares message types events, as {@link Event} does for classes you can annotate: published to
   * a topic named after the alias, with one subscription per handling service. Registers them too.
   */
  public BusBuilder events(Class<?>... types) {
    events.addAll(Arrays.asList(types));
    return this;
  }

  // ---- routing and errors ----

  /**
   * Routes a message type to an address ({@code ferry.routes}), e.g. {@code "queue:orders"}; wins
   * over the convention (a command's queue, an event's topic, each named after the alias). Its
   * handlers listen on the queue, or on this service's subscription of the topic.
   */
  public BusBuilder route(Class<?> messageType, String address) {
    Address.parse(address);
    routes.put(messageType, address);
    return this;
  }

  /** Adds an error policy; see {@link ErrorPolicy} for how one is chosen. */
  public BusBuilder onError(ErrorPolicy policy) {
    errorPolicies.add(Objects.requireNonNull(policy, "policy"));
    return this;
  }

  /** Replaces the default policy (3 immediate retries, then dead letter). */
  public BusBuilder defaultErrorPolicy(ErrorPolicy policy) {
    this.defaultPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** How retry steps of error policies are carried out; see {@code ferry.errors.redelivery}. */
  public BusBuilder redelivery(Redelivery mode) {
    return set(FerryKeys.REDELIVERY, Objects.requireNonNull(mode, "mode").configValue());
  }

  // ---- parts ----

  /** Uses this transport instead of the one named by {@code ferry.transport}. */
  public BusBuilder transport(Transport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  public BusBuilder store(EnvelopeStore store) {
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  public BusBuilder serializer(Serializer serializer) {
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    return this;
  }

  /** Thread supply of the host (managed executors in an app server). */
  public BusBuilder executors(HostExecutors executors) {
    this.executors = Objects.requireNonNull(executors, "executors");
    return this;
  }

  public BusBuilder observer(MessageObserver observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
    return this;
  }

  /**
   * Installs observers by name ({@code ferry.observers}), each created by the {@link
   * dev.ferry.spi.ObserverFactory} of that name on the class path, e.g. {@code "opentelemetry"}.
   */
  public BusBuilder observers(String... names) {
    return set(FerryKeys.OBSERVERS, String.join(",", names));
  }

  /** Configuration to read keys from, instead of the environment (values set here still win). */
  public BusBuilder config(FerryConfig config) {
    this.baseConfig = Objects.requireNonNull(config, "config");
    return this;
  }

  /** Sets any key by name; prefer the typed methods. */
  public BusBuilder property(String key, String value) {
    overrides.set(key, value);
    return this;
  }

  // ---- identity, transport and shutdown ----

  public BusBuilder serviceName(String name) {
    return set(FerryKeys.SERVICE_NAME, name);
  }

  public BusBuilder nodeId(String nodeId) {
    return set(FerryKeys.NODE_ID, nodeId);
  }

  /** Selects a transport by name: {@code local}, {@code jms}, {@code servicebus}. */
  public BusBuilder transport(String name) {
    return set(FerryKeys.TRANSPORT, name);
  }

  /**
   * The in-process broker the local transport uses ({@code ferry.local.broker}): buses naming the
   * same broker talk to each other.
   */
  public BusBuilder localBroker(String name) {
    return set(FerryKeys.LOCAL_BROKER, name);
  }

  public BusBuilder shutdownTimeout(Duration timeout) {
    return set(FerryKeys.SHUTDOWN_TIMEOUT, timeout);
  }

  // ---- tuning: one options type per part of the runtime ----

  /** How listeners take and handle messages ({@code ferry.listener.*}, handler timeout, inbox). */
  public BusBuilder listeners(ListenerOptions options) {
    return apply(options, "listeners");
  }

  /** How outgoing messages reach the transport ({@code ferry.sender.*}). */
  public BusBuilder sender(SenderOptions options) {
    return apply(options, "sender");
  }

  /** How the relay claims stored outgoing messages ({@code ferry.outbox.*}). */
  public BusBuilder outbox(OutboxOptions options) {
    return apply(options, "outbox");
  }

  /** Requests waiting for replies ({@code ferry.request.*}). */
  public BusBuilder requests(RequestOptions options) {
    return apply(options, "requests");
  }

  /** Where dead letters go and how long they are kept ({@code ferry.dead-letter.*}). */
  public BusBuilder deadLetters(DeadLetterOptions options) {
    return apply(options, "deadLetters");
  }

  /** Bounds of the in-memory store and the local transport's queues. */
  public BusBuilder inMemory(InMemoryOptions options) {
    return apply(options, "inMemory");
  }

  // A later call's values win over an earlier one's for the same keys; the others stay set.
  private BusBuilder apply(BusOptions<?> options, String name) {
    Objects.requireNonNull(options, name).applyTo(overrides);
    return this;
  }

  /** Starts the bus: connects the transport, starts listeners. */
  public MessageBus build() {
    return RuntimeWiring.start(spec());
  }

  /**
   * The routing of the bus {@link #build()} would start, without starting or connecting anything:
   * where each type goes, where each handler listens, and the entities the service needs.
   *
   * @throws ConfigurationException as {@link #build()} would for the same routing mistakes
   */
  public RoutingDescription describeRouting() {
    var setup = RuntimeWiring.describe(spec());
    return new RoutingDescription(setup.report(), setup.entities());
  }

  private BusSpec spec() {
    FerryConfig config = layered();
    return new BusSpec(
        config,
        List.copyOf(handlerInstances),
        List.copyOf(explicitHandlers),
        List.copyOf(handlerClasses),
        handlerFactory,
        Map.copyOf(messageTypes),
        List.copyOf(annotatedTypes),
        List.copyOf(events),
        Map.copyOf(routes),
        List.copyOf(errorPolicies),
        defaultPolicy,
        transport,
        store,
        serializer,
        executors,
        List.copyOf(observers));
  }

  private FerryConfig layered() {
    return overrides.over(baseConfig);
  }

  private static Object instantiate(Class<?> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new ConfigurationException(
          type.getName() + " has no no-arg constructor; register an instance or a handlerFactory");
    } catch (InvocationTargetException | InstantiationException | IllegalAccessException e) {
      throw new ConfigurationException("Cannot create handler " + type.getName() + ": " + e, e);
    }
  }
}
