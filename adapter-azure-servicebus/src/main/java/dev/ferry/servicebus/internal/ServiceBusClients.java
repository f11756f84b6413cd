package dev.ferry.servicebus.internal;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.SubQueue;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.ServiceBusKeys;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK clients of one transport. Every client is built from one {@link ServiceBusClientBuilder}
 * and so shares its AMQP connection; sender clients are thread-safe and kept per entity, since the
 * runtime opens a sender per destination and sender loop.
 */
public final class ServiceBusClients implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceBusClients.class);

  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

  /** The shortest try timeout the lease bound lowers to. */
  private static final Duration MIN_TRY_TIMEOUT = Duration.ofSeconds(1);

  private final ServiceBusClientBuilder builder;
  private final String description;
  private final Map<String, ServiceBusSenderClient> senders = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ServiceBusClients(ServiceBusClientBuilder builder, String description) {
    this.builder = builder;
    this.description = description;
  }

  /**
   * Clients as configured: on {@code ferry.servicebus.connection-string}, else on {@code
   * ferry.servicebus.namespace} with {@code credential} or DefaultAzureCredential. Fails naming the
   * keys when neither is set, and never quotes the connection string.
   */
  public static ServiceBusClients open(FerryConfig config, TokenCredential credential) {
    AmqpRetryOptions retry = retryOptions(config);
    String connectionString = config.get(ServiceBusKeys.CONNECTION_STRING);
    String namespace = config.get(ServiceBusKeys.NAMESPACE);
    if (connectionString != null && !connectionString.isBlank()) {
      try {
        return withConnectionString(connectionString.trim(), retry);
      } catch (RuntimeException e) {
        // Neither the SDK's message nor its cause is kept: a malformed part may hold the key.
        throw new ConfigurationException(
            ServiceBusKeys.CONNECTION_STRING.name()
                + " is not a valid Service Bus connection string ("
                + describeConnectionString(connectionString)
                + "): "
                + connectionStringProblem(connectionString));
      }
    }
    if (namespace != null && !namespace.isBlank()) {
      return withCredential(
          checkNamespace(namespace.trim()),
          credential != null ? credential : defaultCredential(config),
          retry);
    }
    throw new ConfigurationException(
        "ferry.transport=servicebus needs a namespace: set "
            + ServiceBusKeys.CONNECTION_STRING.name()
            + " ("
            + ServiceBusKeys.CONNECTION_STRING.environmentVariable()
            + "), or "
            + ServiceBusKeys.NAMESPACE.name()
            + " ("
            + ServiceBusKeys.NAMESPACE.environmentVariable()
            + ") for Azure identity");
  }

  private static TokenCredential defaultCredential(FerryConfig config) {
    DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder();
    String clientId = config.get(ServiceBusKeys.MANAGED_IDENTITY_CLIENT_ID);
    if (clientId != null && !clientId.isBlank()) {
      b.managedIdentityClientId(clientId.trim());
    }
    return b.build();
  }

  private static String checkNamespace(String namespace) {
    if (namespace.contains("://") || namespace.contains("/") || namespace.contains(";")) {
      throw new ConfigurationException(
          ServiceBusKeys.NAMESPACE.name()
              + " is a host name such as my-ns.servicebus.windows.net, not a URL or connection"
              + " string");
    }
    return namespace;
  }

  /**
   * The SDK's retries, bounded so that a send with all its retries ends within two thirds of the
   * outbox lease ({@code ferry.outbox.lease}): the rows being sent stay leased to this node until
   * the send ended, so that another node never sends them too. A try timeout that would allow more
   * is lowered (and logged); a lease too short for the retries at all is warned about.
   */
  static AmqpRetryOptions retryOptions(FerryConfig config) {
    Duration delay = ConfigChecks.positive(config, ServiceBusKeys.RETRY_DELAY);
    Duration maxDelay = delay.compareTo(MAX_RETRY_DELAY) > 0 ? delay : MAX_RETRY_DELAY;
    int retries = ConfigChecks.atLeast(config, ServiceBusKeys.MAX_RETRIES, 0);
    Duration tryTimeout = ConfigChecks.positive(config, ServiceBusKeys.TRY_TIMEOUT);
    Duration lease = config.require(dev.ferry.config.FerryKeys.OUTBOX_LEASE);
    Duration budget = lease.multipliedBy(2).dividedBy(3);
    Duration perTry = budget.minus(waits(delay, maxDelay, retries)).dividedBy(retries + 1L);
    if (perTry.compareTo(MIN_TRY_TIMEOUT) < 0) {
      log.warn(
          "{}={} and {}={} leave less than {} per try within two thirds of {}={}: a send may"
              + " outlast the lease, and another node may send the same messages; lower the"
              + " retries or raise the lease",
          ServiceBusKeys.MAX_RETRIES.name(),
          retries,
          ServiceBusKeys.RETRY_DELAY.name(),
          delay,
          MIN_TRY_TIMEOUT,
          dev.ferry.config.FerryKeys.OUTBOX_LEASE.name(),
          lease);
      perTry = MIN_TRY_TIMEOUT;
    }
    if (tryTimeout.compareTo(perTry) > 0) {
      log.info(
          "Service Bus try timeout {} lowered to {}: {} tries must end within two thirds of the"
              + " outbox lease ({})",
          tryTimeout,
          perTry,
          retries + 1,
          lease);
      tryTimeout = perTry;
    }
    return new AmqpRetryOptions()
        .setMode(AmqpRetryMode.EXPONENTIAL)
        .setMaxRetries(retries)
        .setDelay(delay)
        .setMaxDelay(maxDelay)
        .setTryTimeout(tryTimeout);
  }

  /** The longest a send can take with these options: every try times out, every wait is full. */
  static Duration worstCaseSendTime(AmqpRetryOptions retry) {
    return retry
        .getTryTimeout()
        .multipliedBy(retry.getMaxRetries() + 1L)
        .plus(waits(retry.getDelay(), retry.getMaxDelay(), retry.getMaxRetries()));
  }

  /** The waits between tries: exponential from {@code delay}, capped, with a fifth for jitter. */
  private static Duration waits(Duration delay, Duration maxDelay, int retries) {
    Duration total = Duration.ZERO;
    for (int i = 0; i < retries; i++) {
      Duration wait = delay.multipliedBy(1L << Math.min(i, 20));
      total = total.plus(wait.compareTo(maxDelay) > 0 ? maxDelay : wait);
    }
    return total.plus(total.dividedBy(5));
  }

  /** What is wrong with a connection string the SDK refused, without quoting any value. */
  static String connectionStringProblem(String connectionString) {
    boolean endpoint = false;
    boolean keyName = false;
    boolean key = false;
    boolean signature = false;
    String[] parts = connectionString.trim().split(";");
    for (int i = 0; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      if (eq <= 0) {
        return "part " + (i + 1) + " is not name=value";
      }
      String name = parts[i].substring(0, eq).trim();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "endpoint" -> endpoint = true;
        case "sharedaccesskeyname" -> keyName = true;
        case "sharedaccesskey" -> key = true;
        case "sharedaccesssignature" -> signature = true;
        case "entitypath", "usedevelopmentemulator" -> {
          // allowed
        }
        default -> {
          // Not quoted: a key pasted without its name would show here.
          return "part "
              + (i + 1)
              + " has an unknown name (known: Endpoint, SharedAccessKeyName, SharedAccessKey,"
              + " SharedAccessSignature, EntityPath, UseDevelopmentEmulator)";
        }
      }
    }
    if (!endpoint) {
      return "it has no Endpoint";
    }
    if (signature == (keyName || key) || (!signature && !(keyName && key))) {
      return "it needs SharedAccessKeyName and SharedAccessKey, or a SharedAccessSignature";
    }
    return "the Endpoint is not a valid sb:// URI, or a SharedAccessSignature does not start with"
        + " 'SharedAccessSignature '";
  }

  /** Clients on a connection string; the description names the endpoint, never the key. */
  public static ServiceBusClients withConnectionString(
      String connectionString, AmqpRetryOptions retry) {
    ServiceBusClientBuilder b =
        new ServiceBusClientBuilder().connectionString(connectionString).retryOptions(retry);
    return new ServiceBusClients(b, describeConnectionString(connectionString));
  }

  /** Clients on a namespace with an Azure identity. */
  public static ServiceBusClients withCredential(
      String namespace, TokenCredential credential, AmqpRetryOptions retry) {
    ServiceBusClientBuilder b =
        new ServiceBusClientBuilder().credential(namespace, credential).retryOptions(retry);
    return new ServiceBusClients(
        b, "namespace " + namespace + " with " + credential.getClass().getSimpleName());
  }

  /**
   * The endpoint and key name of a connection string, for logs and errors: everything but the
   * shared access key or signature.
   */
  public static String describeConnectionString(String connectionString) {
    String endpoint = null;
    String keyName = null;
    boolean emulator = false;
    for (String part : connectionString.split(";")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      switch (name) {
        case "endpoint" -> endpoint = value;
        case "sharedaccesskeyname" -> keyName = value;
        case "usedevelopmentemulator" -> emulator = value.equalsIgnoreCase("true");
        default -> {
          // keys, signatures and entity paths are left out
        }
      }
    }
    return "endpoint "
        + (endpoint == null ? "(none)" : endpoint)
        + (keyName == null ? "" : ", key name " + keyName)
        + (emulator ? ", development emulator" : "");
  }

  /** Where the clients connect, without secrets. */
  public String description() {
    return description;
  }

  public ServiceBusClientBuilder builder() {
    return builder;
  }

  /** The shared sender of a queue, or of the topic of a topic or subscription address. */
  public ServiceBusSenderClient sender(Address a) {
    if (closed) {
      throw new IllegalStateException("The Service Bus transport is closed");
    }
    boolean queue = a.kind() == Address.Kind.QUEUE;
    return senders.computeIfAbsent(
        senderKey(a),
        k ->
            queue
                ? builder.sender().queueName(a.name()).buildClient()
                : builder.sender().topicName(a.name()).buildClient());
  }

  /** Forgets a sender that failed, so that the next send builds a new one. */
  public void discard(Address a, ServiceBusSenderClient failed) {
    if (senders.remove(senderKey(a), failed)) {
      closeQuietly(failed);
    }
  }

  private static String senderKey(Address a) {
    return (a.kind() == Address.Kind.QUEUE ? "queue:" : "topic:")
        + a.name().toLowerCase(Locale.ROOT);
  }

  /** A peek-lock receiver of an entity or of its dead-letter sub-queue. */
  public ServiceBusReceiverClient receiver(Address a, boolean deadLetterQueue) {
    ServiceBusClientBuilder.ServiceBusReceiverClientBuilder r = builder.receiver();
    if (a.kind() == Address.Kind.SUBSCRIPTION) {
      r.topicName(a.name()).subscriptionName(a.subscription());
    } else {
      r.queueName(a.name());
    }
    if (deadLetterQueue) {
      r.subQueue(SubQueue.DEAD_LETTER_QUEUE);
    }
    return r.disableAutoComplete().maxAutoLockRenewDuration(Duration.ZERO).buildClient();
  }

  /**
   * Whether an entity exists, by a peek of it. Throws when Service Bus cannot be reached, with the
   * failure's kind only (its text may quote the endpoint's settings).
   *
   * @throws dev.ferry.FerryException when Service Bus cannot be reached or answers otherwise
   */
  public boolean exists(Address a) {
    try (ServiceBusReceiverClient peeker = receiver(a, false)) {
      peeker.peekMessage();
      return true;
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw new dev.ferry.FerryException(
          "Cannot reach Service Bus ("
              + description()
              + ") to check entity '"
              + Entities.path(a)
              + "' ("
              + a
              + "): "
              + e.getClass().getSimpleName(),
          e);
    }
  }

  /** Whether a failure says that the entity does not exist. */
  public static boolean isNotFound(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ServiceBusException e
          && e.getReason() == ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND) {
        return true;
      }
      if (t instanceof AmqpException e && e.getErrorCondition() == AmqpErrorCondition.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("Closing a Service Bus client failed", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    senders.values().forEach(ServiceBusClients::closeQuietly);
    senders.clear();
  }
}
