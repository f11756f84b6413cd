package dev.ferry.servicebus;

import dev.ferry.Address;
import dev.ferry.FerryException;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.internal.ServiceBusClients;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that Service Bus entities exist, before an application starts listeners that would wait
 * for them: the transport never creates entities, so a deployment can fail early naming what is
 * missing. Connects as the transport does, from the same configuration keys.
 */
public final class ServiceBusEntities {
  private ServiceBusEntities() {}

  /**
   * The entities among {@code entities} (queues, topics, and subscriptions as {@code
   * topic:NAME/subscriptions/SUB}, as a routing description lists them) that do not exist on the
   * namespace {@code config} names. A topic is checked through its subscriptions in the list, so a
   * topic listed without one is refused. Each is checked by a peek, as the transport's listeners
   * check.
   *
   * @throws dev.ferry.ConfigurationException when the connection keys are missing or malformed
   * @throws FerryException when the namespace cannot be reached or answers otherwise
   */
  public static List<Address> missing(FerryConfig config, Collection<Address> entities) {
    List<Address> missing = new ArrayList<>();
    Set<String> withSubscription =
        entities.stream()
            .filter(a -> a.kind() == Address.Kind.SUBSCRIPTION)
            .map(a -> a.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (Address a : entities) {
      if (a.kind() == Address.Kind.TOPIC
          && !withSubscription.contains(a.name().toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "check a topic through a subscription, e.g. topic:" + a.name() + "/subscriptions/x");
      }
    }
    try (ServiceBusClients clients = ServiceBusClients.open(config, null)) {
      for (Address a : entities) {
        if (a.kind() == Address.Kind.TOPIC) {
          continue; // checked through its subscriptions
        }
        if (!clients.exists(a)) {
          missing.add(a);
        }
      }
    }
    return missing;
  }

  /** {@code queue orders}, or {@code topic events with subscription billing}. */
  public static String describe(Address a) {
    return switch (a.kind()) {
      case QUEUE -> "queue " + a.name();
      case TOPIC -> "topic " + a.name();
      case SUBSCRIPTION -> "topic " + a.name() + " with subscription " + a.subscription();
    };
  }
}
