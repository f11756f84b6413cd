package dev.ferry.servicebus;

import static dev.ferry.servicebus.internal.ConfigChecks.atLeast;
import static dev.ferry.servicebus.internal.ConfigChecks.nonNegative;
import static dev.ferry.servicebus.internal.ConfigChecks.positive;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusMessageState;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.servicebus.internal.Entities;
import dev.ferry.servicebus.internal.EntityWatcher;
import dev.ferry.servicebus.internal.ServiceBusClients;
import dev.ferry.servicebus.internal.ServiceBusListener;
import dev.ferry.servicebus.internal.ServiceBusSender;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import dev.ferry.spi.support.WireNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure Service Bus transport ({@code ferry.transport=servicebus}) on the {@code
 * azure-messaging-servicebus} SDK. It connects with a connection string ({@code
 * ferry.servicebus.connection-string}), or passwordless to a namespace ({@code
 * ferry.servicebus.namespace}) with an Azure identity: the {@link TokenCredential} given to the
 * builder, else {@code DefaultAzureCredential}.
 *
 * <pre>{@code
 * MessageBus bus = MessageBus.builder()
 *     .transport(ServiceBusTransport.builder()
 *         .namespace("my-ns.servicebus.windows.net")   // DefaultAzureCredential
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Addresses: {@code servicebus:queue:orders}, {@code servicebus:topic:events} (to publish) and
 * {@code servicebus:topic:events/subscriptions/billing} (to receive). Entities must exist; the
 * transport does not create them. Messages are scheduled and dead-lettered natively and the
 * delivery count comes from the broker; see the module's README for limits and set-up.
 */
public final class ServiceBusTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusTransport.class);

  /** The transport's name in {@code ferry.transport} and in addresses. */
  public static final String NAME = "servicebus";

  /** Room left in each message for the envelope's properties: bodies may use the rest. */
  static final int PROPERTY_ALLOWANCE = 4096;

  static final int MAX_PEEK = 10_000;
  private static final int PEEK_PAGE = 100;

  private final ConfigOverrides overrides;
  private final TokenCredential givenCredential;
  private final FerryConfig factoryConfig;
  private final List<ServiceBusListener> listeners = new CopyOnWriteArrayList<>();
  private ServiceBusClients clients;
  private Entities entities;
  private ServiceBusListener.Options listenerOptions;
  private EntityWatcher watcher;
  private ScheduledExecutorService timer;
  private volatile TransportCapabilities capabilities;

  private ServiceBusTransport(
      ConfigOverrides overrides, TokenCredential credential, FerryConfig factoryConfig) {
    this.overrides = overrides;
    this.givenCredential = credential;
    this.factoryConfig = factoryConfig;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** From configuration only (used by {@code ferry.transport=servicebus}). */
  static ServiceBusTransport fromConfig(FerryConfig config) {
    return new ServiceBusTransport(new ConfigOverrides(), null, config);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Native scheduling (ScheduledEnqueueTime), native dead-lettering, the broker's delivery count,
   * sessions, and bodies up to {@code ferry.servicebus.max-message-bytes} less 4 KiB. Asked before
   * {@link #start}, so the size comes from the builder, the factory's configuration or the
   * environment.
   */
  @Override
  public TransportCapabilities capabilities() {
    TransportCapabilities c = capabilities;
    if (c == null) {
      FerryConfig config =
          layered(factoryConfig != null ? factoryConfig : FerryConfig.fromEnvironment());
      c = new TransportCapabilities(true, true, true, true, bodyLimit(config));
      capabilities = c;
    }
    return c;
  }

  static long bodyLimit(FerryConfig config) {
    int max = config.require(ServiceBusKeys.MAX_MESSAGE_BYTES);
    if (max <= PROPERTY_ALLOWANCE) {
      throw new ConfigurationException(
          ServiceBusKeys.MAX_MESSAGE_BYTES.name()
              + " must be more than "
              + PROPERTY_ALLOWANCE
              + " bytes, was "
              + max);
    }
    return max - PROPERTY_ALLOWANCE;
  }

  @Override
  public void start(TransportContext context) {
    FerryConfig config = layered(context.config());
    long limit = bodyLimit(config);
    if (limit != capabilities().maxMessageBytes()) {
      log.warn(
          "{} is {} in the bus configuration but {} where the transport was built; the body limit"
              + " stays {} bytes. Set it on ServiceBusTransport.builder() or in the environment",
          ServiceBusKeys.MAX_MESSAGE_BYTES.name(),
          limit + PROPERTY_ALLOWANCE,
          capabilities().maxMessageBytes() + PROPERTY_ALLOWANCE,
          capabilities().maxMessageBytes());
    }
    clients = ServiceBusClients.open(config, givenCredential);
    entities = new Entities(sessionEntities(config));
    listenerOptions =
        new ServiceBusListener.Options(
            atLeast(config, ServiceBusKeys.PREFETCH, 0),
            nonNegative(config, ServiceBusKeys.MAX_LOCK_RENEWAL),
            false,
            positive(config, ServiceBusKeys.SESSION_IDLE_TIMEOUT),
            context.config().require(FerryKeys.SHUTDOWN_TIMEOUT),
            positive(config, ServiceBusKeys.TRY_TIMEOUT)
                .multipliedBy(atLeast(config, ServiceBusKeys.MAX_RETRIES, 0) + 2L),
            atLeast(config, ServiceBusKeys.MAX_BODY_SIZE, 1));
    this.timer = context.executors().scheduler();
    watcher =
        new EntityWatcher(
            context.executors(), positive(config, ServiceBusKeys.ENTITY_CHECK_INTERVAL));
    log.info("Service Bus transport ready ({})", clients.description());
  }

  private static List<Address> sessionEntities(FerryConfig config) {
    List<String> texts = config.get(ServiceBusKeys.SESSION_ENTITIES);
    List<Address> result = new ArrayList<>();
    for (String text : texts == null ? List.<String>of() : texts) {
      try {
        Address a = Address.parse(text);
        if (a.kind() == Address.Kind.TOPIC) {
          throw new IllegalArgumentException(
              "name the subscription that requires sessions, e.g. topic:"
                  + a.name()
                  + "/subscriptions/billing");
        }
        result.add(a);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException(
            ServiceBusKeys.SESSION_ENTITIES.name() + ": '" + text + "': " + e.getMessage(), e);
      }
    }
    return result;
  }

  private FerryConfig layered(FerryConfig base) {
    return overrides.over(base);
  }

  private void checkStarted() {
    if (clients == null) {
      throw new IllegalStateException("The Service Bus transport is not started");
    }
  }

  @Override
  public Sender sender(Address destination) {
    checkStarted();
    return new ServiceBusSender(clients, destination, entities);
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
    checkStarted();
    boolean sessions = settings.sessions() || entities.receivesInSessions(source);
    ServiceBusListener l =
        new ServiceBusListener(
            clients,
            source,
            settings,
            handler,
            listenerOptions.withSessions(sessions),
            entities,
            timer);
    listeners.add(l);
    try {
      l.start(watcher);
    } catch (RuntimeException e) {
      listeners.remove(l);
      l.close();
      throw e;
    }
    return l;
  }

  /**
   * Cancels the natively scheduled messages of a queue that carry envelope id {@code id} (the id
   * chosen with {@code DeliveryOptions.messageId}, say) and returns how many were cancelled. It
   * peeks through the queue, at most {@value #MAX_PEEK} messages, to find their sequence numbers,
   * so it suits occasional use. Topics keep scheduled messages out of sight of their subscriptions,
   * and session queues cannot be peeked without a session, so both are refused.
   */
  public int cancelScheduled(Address queue, String id) {
    checkStarted();
    if (queue.kind() != Address.Kind.QUEUE || entities.receivesInSessions(queue)) {
      throw new IllegalArgumentException(
          "Scheduled messages can be cancelled by id on queues without sessions only: " + queue);
    }
    List<Long> found = new ArrayList<>();
    try (ServiceBusReceiverClient peeker = clients.receiver(queue, false)) {
      long from = 0;
      int seen = 0;
      while (seen < MAX_PEEK) {
        List<ServiceBusReceivedMessage> page = new ArrayList<>();
        peeker.peekMessages(PEEK_PAGE, from).forEach(page::add);
        if (page.isEmpty()) {
          break;
        }
        for (ServiceBusReceivedMessage m : page) {
          if (m.getState() == ServiceBusMessageState.SCHEDULED && id.equals(envelopeId(m))) {
            found.add(m.getSequenceNumber());
          }
          from = Math.max(from, m.getSequenceNumber() + 1);
        }
        seen += page.size();
      }
    }
    ServiceBusSenderClient sender = clients.sender(queue);
    for (long sequenceNumber : found) {
      sender.cancelScheduledMessage(sequenceNumber);
    }
    return found.size();
  }

  private static String envelopeId(ServiceBusReceivedMessage m) {
    Object carried = m.getApplicationProperties().get(WireNames.ID);
    return carried != null ? carried.toString() : m.getMessageId();
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
    listeners.forEach(ServiceBusListener::close);
    listeners.clear();
    if (clients != null) {
      clients.close();
    }
  }

  @Override
  public String toString() {
    return "ServiceBusTransport[" + (clients == null ? "not started" : clients.description()) + "]";
  }

  /** Builds a {@link ServiceBusTransport}; values set here win over configuration. */
  public static final class Builder {
    private final ConfigOverrides overrides = new ConfigOverrides();
    private TokenCredential credential;

    private Builder() {}

    private Builder set(ConfigKey<?> key, Object value) {
      overrides.set(key, value);
      return this;
    }

    /** A namespace's connection string; never logged. */
    public Builder connectionString(String connectionString) {
      return set(ServiceBusKeys.CONNECTION_STRING, connectionString);
    }

    /** The fully qualified namespace, for Azure identity. */
    public Builder namespace(String fullyQualifiedNamespace) {
      return set(ServiceBusKeys.NAMESPACE, fullyQualifiedNamespace);
    }

    /**
     * The Azure identity to use with {@link #namespace}, e.g. a {@code ManagedIdentityCredential}
     * or a {@code WorkloadIdentityCredential}; without one, {@code DefaultAzureCredential}.
     */
    public Builder credential(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    public Builder managedIdentityClientId(String clientId) {
      return set(ServiceBusKeys.MANAGED_IDENTITY_CLIENT_ID, clientId);
    }

    public Builder maxMessageBytes(int bytes) {
      return set(ServiceBusKeys.MAX_MESSAGE_BYTES, bytes);
    }

    /** Largest body a listener takes; a larger one becomes a dead letter. */
    public Builder maxBodySize(int bytes) {
      return set(ServiceBusKeys.MAX_BODY_SIZE, bytes);
    }

    public Builder prefetch(int messages) {
      return set(ServiceBusKeys.PREFETCH, messages);
    }

    public Builder maxLockRenewal(Duration duration) {
      return set(ServiceBusKeys.MAX_LOCK_RENEWAL, duration);
    }

    /** Entities that require sessions, e.g. {@code "queue:orders"}. */
    public Builder sessionEntities(String... addresses) {
      return set(ServiceBusKeys.SESSION_ENTITIES, String.join(",", addresses));
    }

    public Builder sessionIdleTimeout(Duration timeout) {
      return set(ServiceBusKeys.SESSION_IDLE_TIMEOUT, timeout);
    }

    public Builder entityCheckInterval(Duration interval) {
      return set(ServiceBusKeys.ENTITY_CHECK_INTERVAL, interval);
    }

    public Builder tryTimeout(Duration timeout) {
      return set(ServiceBusKeys.TRY_TIMEOUT, timeout);
    }

    public Builder maxRetries(int retries) {
      return set(ServiceBusKeys.MAX_RETRIES, retries);
    }

    public Builder retryDelay(Duration delay) {
      return set(ServiceBusKeys.RETRY_DELAY, delay);
    }

    public ServiceBusTransport build() {
      return new ServiceBusTransport(overrides.copy(), credential, null);
    }
  }
}
