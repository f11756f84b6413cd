package dev.ferry.servicebus;

import static dev.ferry.config.ConfigKey.Type.DURATION;
import static dev.ferry.config.ConfigKey.Type.INT;
import static dev.ferry.config.ConfigKey.Type.LIST;
import static dev.ferry.config.ConfigKey.Type.STRING;

import dev.ferry.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * Configuration keys of the Azure Service Bus transport; each has a {@link
 * ServiceBusTransport.Builder} method of the same name as its builder method.
 */
public final class ServiceBusKeys {
  private ServiceBusKeys() {}

  public static final ConfigKey<String> CONNECTION_STRING =
      ConfigKey.secret(
          "ferry.servicebus.connection-string",
          "Connection string of the namespace (Endpoint=sb://...;SharedAccessKeyName=...;"
              + "SharedAccessKey=...). Wins over ferry.servicebus.namespace.",
          "connectionString");

  public static final ConfigKey<String> NAMESPACE =
      ConfigKey.of(
          "ferry.servicebus.namespace",
          STRING,
          null,
          "Fully qualified namespace, e.g. my-ns.servicebus.windows.net, for passwordless use with"
              + " Azure identity: DefaultAzureCredential, or the TokenCredential given to the"
              + " builder.",
          "namespace");

  public static final ConfigKey<String> MANAGED_IDENTITY_CLIENT_ID =
      ConfigKey.of(
          "ferry.servicebus.managed-identity-client-id",
          STRING,
          null,
          "Client id of a user-assigned managed identity for DefaultAzureCredential; unset uses"
              + " the system-assigned identity or the other credentials it tries.",
          "managedIdentityClientId");

  public static final ConfigKey<Integer> MAX_MESSAGE_BYTES =
      ConfigKey.of(
          "ferry.servicebus.max-message-bytes",
          INT,
          "262144",
          "The entities' message size limit (256 KiB on the Standard tier, up to 100 MiB on"
              + " Premium). Bodies larger than this less 4 KiB for the envelope's properties are"
              + " refused at send with MessageTooLargeException.",
          "maxMessageBytes");

  public static final ConfigKey<Integer> MAX_BODY_SIZE =
      ConfigKey.of(
          "ferry.servicebus.max-body-size",
          INT,
          "10485760",
          "Largest body in bytes a listener or a Functions trigger takes (10 MiB by default). A"
              + " larger message is not handled: it becomes a dead letter (reason"
              + " message-too-large) that keeps its first bytes up to this limit and its size in"
              + " header ferry-original-body-size.",
          "maxBodySize");

  public static final ConfigKey<Integer> PREFETCH =
      ConfigKey.of(
          "ferry.servicebus.prefetch",
          INT,
          "0",
          "Messages a listener fetches ahead of its handlers. Their locks run while they wait and"
              + " are not renewed, so keep it below concurrency x lock duration / handling time; 0"
              + " fetches only what a free handler takes. Used instead of ferry.listener.prefetch.",
          "prefetch");

  public static final ConfigKey<Duration> MAX_LOCK_RENEWAL =
      ConfigKey.of(
          "ferry.servicebus.max-lock-renewal",
          DURATION,
          "5m",
          "How long the lock of a message (or session) being handled is renewed at most; a"
              + " handler running longer loses it and the message is redelivered. 0s turns"
              + " renewal off.",
          "maxLockRenewal");

  public static final ConfigKey<List<String>> SESSION_ENTITIES =
      ConfigKey.of(
          "ferry.servicebus.session-entities",
          LIST,
          null,
          "Entities that require sessions, as addresses (queue:orders,"
              + " topic:events/subscriptions/billing): they are received with a session processor,"
              + " one message at a time per session, and sending to them sets the SessionId from"
              + " the ferry-group header or else the correlation id.",
          "sessionEntities");

  public static final ConfigKey<Duration> SESSION_IDLE_TIMEOUT =
      ConfigKey.of(
          "ferry.servicebus.session-idle-timeout",
          DURATION,
          "30s",
          "How long a session listener waits for the next message of its session before it moves"
              + " on to another session. Longer than a message's handling time.",
          "sessionIdleTimeout");

  public static final ConfigKey<Duration> ENTITY_CHECK_INTERVAL =
      ConfigKey.of(
          "ferry.servicebus.entity-check-interval",
          DURATION,
          "1m",
          "How often a listener whose queue or subscription does not exist checks again; it"
              + " starts receiving once an operator created it. The transport never creates"
              + " entities.",
          "entityCheckInterval");

  public static final ConfigKey<Duration> TRY_TIMEOUT =
      ConfigKey.of(
          "ferry.servicebus.retry.try-timeout",
          DURATION,
          "30s",
          "How long one attempt of an operation (a send, a settlement) may take; lowered where"
              + " needed so that a send with all its retries ends within two thirds of"
              + " ferry.outbox.lease (another node takes the rows over when it expires).",
          "tryTimeout");

  public static final ConfigKey<Integer> MAX_RETRIES =
      ConfigKey.of(
          "ferry.servicebus.retry.max-retries",
          INT,
          "3",
          "Retries of a failed operation by the SDK before a send fails; the outbox then keeps"
              + " the messages and the destination's circuit breaker takes over.",
          "maxRetries");

  public static final ConfigKey<Duration> RETRY_DELAY =
      ConfigKey.of(
          "ferry.servicebus.retry.delay",
          DURATION,
          "800ms",
          "First wait between retries; it grows exponentially.",
          "retryDelay");

  /** Every key of the transport, in reference order. */
  public static List<ConfigKey<?>> all() {
    return List.of(
        CONNECTION_STRING,
        NAMESPACE,
        MANAGED_IDENTITY_CLIENT_ID,
        MAX_MESSAGE_BYTES,
        MAX_BODY_SIZE,
        PREFETCH,
        MAX_LOCK_RENEWAL,
        SESSION_ENTITIES,
        SESSION_IDLE_TIMEOUT,
        ENTITY_CHECK_INTERVAL,
        TRY_TIMEOUT,
        MAX_RETRIES,
        RETRY_DELAY);
  }
}
