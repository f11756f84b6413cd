package dev.ferry.servicebus;

import com.azure.core.credential.TokenCredential;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.internal.Entities;
import dev.ferry.servicebus.internal.InboundMessage;
import dev.ferry.servicebus.internal.ServiceBusClients;
import dev.ferry.servicebus.internal.ServiceBusDecoder;
import dev.ferry.spi.EnvelopeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an entity's native dead-letter queue ({@code <entity>/$deadletterqueue}) into Ferry's
 * dead-letter store, so that every dead letter, whoever made it, is listed, replayed and purged in
 * one place ({@link dev.ferry.MessageBus#deadLetters()}). A replay sends the envelope back to the
 * entity it failed on.
 *
 * <p>Each native message becomes a {@link DeadLetter} with the native {@code DeadLetterReason} as
 * its reason, the {@code DeadLetterErrorDescription} as its exception message, the delivery count
 * as its attempts and the entity's address ({@code servicebus:queue:orders}) as its endpoint. It is
 * completed only after the store call returned, so a failure leaves it in the native queue (locked
 * until the entity's lock duration runs out); a message stored but not completed is stored again by
 * the next drain, under the same id, which replaces it.
 *
 * <pre>{@code
 * try (DeadLetterDrain drain = DeadLetterDrain.builder()
 *     .namespace("my-ns.servicebus.windows.net")
 *     .store(store)                       // the bus's JdbiEnvelopeStore
 *     .build()) {
 *   int moved = drain.drain(Address.parse("servicebus:queue:orders"));
 * }
 * }</pre>
 *
 * <p>Run it from a timer, a scheduled job or an operator's tool; it is not tied to a bus.
 */
public final class DeadLetterDrain implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterDrain.class);

  /** The reason stored when a native dead letter carries none. */
  public static final String NO_REASON = "native-dead-letter";

  private final ServiceBusClients clients;
  private final EnvelopeStore store;
  private final int batchSize;
  private final Duration receiveWait;

  private DeadLetterDrain(Builder b) {
    this.store = Objects.requireNonNull(b.store, "store");
    FerryConfig config = b.layered();
    this.clients = ServiceBusClients.open(config, b.credential);
    this.batchSize = b.batchSize;
    this.receiveWait = b.receiveWait;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Drains until the dead-letter queue has nothing more within the receive wait. */
  public int drain(Address entity) {
    return drain(entity, Integer.MAX_VALUE);
  }

  /**
   * Moves at most {@code maxMessages} of the entity's dead letters into the store and returns how
   * many were moved. The entity is a queue or a subscription address, with or without the {@code
   * servicebus:} prefix. Throws if the store fails; the message concerned and the rest of its batch
   * stay in the native queue and can be drained again once their locks expire.
   */
  public int drain(Address entity, int maxMessages) {
    if (entity.kind() == Address.Kind.TOPIC) {
      throw new IllegalArgumentException(
          "A topic has no dead-letter queue; drain its subscriptions, e.g. topic:"
              + entity.name()
              + "/subscriptions/billing");
    }
    if (entity.transport() != null && !entity.transport().equals(ServiceBusTransport.NAME)) {
      throw new IllegalArgumentException("Not a Service Bus address: " + entity);
    }
    Address endpoint = entity.on(ServiceBusTransport.NAME);
    int moved = 0;
    try (ServiceBusReceiverClient receiver = clients.receiver(endpoint, true)) {
      while (moved < maxMessages) {
        List<ServiceBusReceivedMessage> batch = new ArrayList<>();
        receiver
            .receiveMessages(Math.min(batchSize, maxMessages - moved), receiveWait)
            .forEach(batch::add);
        if (batch.isEmpty()) {
          break;
        }
        for (int i = 0; i < batch.size(); i++) {
          ServiceBusReceivedMessage m = batch.get(i);
          DeadLetter deadLetter = deadLetter(m, endpoint.toString(), Instant.now());
          try {
            store.storeDeadLetter(deadLetter);
          } catch (Exception e) {
            // Not abandoned: the receiver's open credit would take it straight back. Its lock, and
            // those of the rest of the batch, run out within the entity's lock duration.
            throw new FerryException(
                "Could not store dead letter "
                    + deadLetter.id()
                    + " from "
                    + endpoint
                    + "; it stays in the native dead-letter queue, available again when its lock"
                    + " expires ("
                    + moved
                    + " moved so far): "
                    + e.getMessage(),
                e);
          }
          completeQuietly(receiver, m, deadLetter.id());
          moved++;
        }
      }
    } catch (RuntimeException e) {
      if (ServiceBusClients.isNotFound(e)) {
        throw new ConfigurationException(
            "Service Bus entity '"
                + Entities.path(endpoint)
                + "' does not exist ("
                + endpoint
                + ")",
            e);
      }
      throw e;
    }
    if (moved > 0) {
      log.info("Moved {} native dead letter(s) of {} into the dead-letter store", moved, endpoint);
    }
    return moved;
  }

  /** The Ferry dead letter for a native one, as the class documentation describes. */
  static DeadLetter deadLetter(ServiceBusReceivedMessage m, String endpoint, Instant now) {
    Envelope envelope;
    String unreadable = null;
    InboundMessage inbound = InboundMessage.of(m);
    try {
      envelope = ServiceBusDecoder.envelope(inbound);
    } catch (RuntimeException e) {
      envelope = ServiceBusDecoder.bestEffort(inbound);
      unreadable = e.getMessage();
    }
    String reason = m.getDeadLetterReason();
    String description = m.getDeadLetterErrorDescription();
    if (unreadable != null) {
      description =
          (description == null ? "" : description + "; ") + "unreadable properties: " + unreadable;
    }
    int attempts =
        (int)
            Math.max(
                Math.max(1, Math.min(Integer.MAX_VALUE, m.getDeliveryCount())),
                envelope.attempts() + 1L);
    return new DeadLetter(
        envelope.id() + "@" + endpoint,
        envelope,
        endpoint,
        reason == null || reason.isBlank() ? NO_REASON : reason,
        null,
        description,
        null,
        attempts,
        null,
        now);
  }

  private static void completeQuietly(
      ServiceBusReceiverClient receiver, ServiceBusReceivedMessage m, String id) {
    try {
      receiver.complete(m);
    } catch (RuntimeException e) {
      // Stored already: the next drain stores it again under the same id, which replaces it.
      log.warn(
          "Stored dead letter {} but could not remove it from the native queue: {}",
          id,
          e.toString());
    }
  }

  @Override
  public void close() {
    clients.close();
  }

  /**
   * Configures a {@link DeadLetterDrain}: the connection as for the transport (connection string,
   * or namespace with an identity) and the store to fill. Values set here win over the {@link
   * #config(FerryConfig) configuration}, which defaults to system properties, environment variables
   * and {@code ferry.properties}.
   */
  public static final class Builder {
    private final ConfigOverrides overrides = new ConfigOverrides();
    private FerryConfig config;
    private TokenCredential credential;
    private EnvelopeStore store;
    private int batchSize = 50;
    private Duration receiveWait = Duration.ofSeconds(1);

    private Builder() {}

    private Builder set(ConfigKey<?> key, Object value) {
      overrides.set(key, value);
      return this;
    }

    public Builder connectionString(String connectionString) {
      return set(ServiceBusKeys.CONNECTION_STRING, connectionString);
    }

    public Builder namespace(String fullyQualifiedNamespace) {
      return set(ServiceBusKeys.NAMESPACE, fullyQualifiedNamespace);
    }

    public Builder credential(TokenCredential credential) {
      this.credential = Objects.requireNonNull(credential, "credential");
      return this;
    }

    /** Reads the {@link ServiceBusKeys} not set here from this configuration. */
    public Builder config(FerryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The store that receives the dead letters: the one the bus uses. */
    public Builder store(EnvelopeStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Messages received and stored per round trip (default 50). */
    public Builder batchSize(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1");
      }
      this.batchSize = messages;
      return this;
    }

    /** How long a receive waits for the next dead letter before the drain ends (default 1s). */
    public Builder receiveWait(Duration wait) {
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("receiveWait must be positive");
      }
      this.receiveWait = wait;
      return this;
    }

    FerryConfig layered() {
      return overrides.over(config);
    }

    public DeadLetterDrain build() {
      return new DeadLetterDrain(this);
    }
  }
}
