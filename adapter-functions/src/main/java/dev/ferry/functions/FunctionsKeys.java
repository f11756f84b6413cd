package dev.ferry.functions;

import static dev.ferry.config.ConfigKey.Type.DURATION;
import static dev.ferry.config.ConfigKey.Type.STRING;

import dev.ferry.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/**
 * Configuration keys of the Azure Functions host; each has a {@link FunctionsWorker.Builder} method
 * of the name its builder method gives. In a function app they are app settings ({@code
 * FERRY_FUNCTIONS_FLUSH_TIMEOUT}); the bus's own keys ({@code FERRY_SERVICE_NAME}, {@code
 * FERRY_STORE_JDBC_URL}, ...) are read the same way.
 */
public final class FunctionsKeys {
  private FunctionsKeys() {}

  public static final ConfigKey<Duration> FLUSH_TIMEOUT =
      ConfigKey.of(
          "ferry.functions.flush-timeout",
          DURATION,
          "10s",
          "How long an invocation waits, before it returns, for the messages it sent to reach the"
              + " broker. What is still unsent then stays in the outbox for the sweeper function.",
          "flushTimeout");

  public static final ConfigKey<Duration> STORE_OUTAGE_HOLD =
      ConfigKey.of(
          "ferry.functions.store-outage-hold",
          DURATION,
          "4m",
          "How long an invocation holds its messages while Ferry's store does not answer, asking"
              + " again every half second, before it throws for redelivery. The host renews the"
              + " messages' locks meanwhile, and a held message costs no delivery, so an outage"
              + " shorter than this moves no healthy message towards MaxDeliveryCount. Keep it"
              + " below host.json's functionTimeout (5 minutes by default on the Consumption plan)"
              + " and the trigger's maxAutoLockRenewalDuration (5 minutes by default); 0s throws"
              + " at once.",
          "storeOutageHold");

  public static final ConfigKey<String> CONNECTION_SETTING =
      ConfigKey.of(
          "ferry.functions.connection-setting",
          STRING,
          "ServiceBusConnection",
          "The app setting the triggers' connection names. When ferry.servicebus.connection-string"
              + " and ferry.servicebus.namespace are unset, Ferry sends with the same connection:"
              + " the setting's value, or its __fullyQualifiedNamespace form for identity-based"
              + " connections.",
          "connectionSetting");

  /** Every key of this module, in reference order. */
  public static List<ConfigKey<?>> all() {
    return List.of(FLUSH_TIMEOUT, STORE_OUTAGE_HOLD, CONNECTION_SETTING);
  }
}
