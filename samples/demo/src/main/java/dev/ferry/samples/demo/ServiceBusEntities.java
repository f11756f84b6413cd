package dev.ferry.samples.demo;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.FerryException;
import dev.ferry.RoutingDescription;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.ServiceBusKeys;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The Service Bus entities the demo's services use. The Service Bus transport never creates
 * entities, so on a real namespace they must exist before the demo starts: it prints this list,
 * checks each entity and fails naming the missing ones, instead of starting listeners that wait.
 *
 * <p>The list is the services' own routing description ({@link DemoServices#routing()}): the queues
 * of the commands they send or handle, the topics of the events, the subscription of each handling
 * service, and the pinger's reply queue. {@code DemoApp --entities=servicebus} prints it as Azure
 * CLI commands.
 */
final class ServiceBusEntities {
  /** The pinger's node id; see {@link DemoServices#PINGER_NODE_ID}. */
  static final String PINGER_NODE_ID = DemoServices.PINGER_NODE_ID;

  private ServiceBusEntities() {}

  /** Every entity the demo's services need: queues, then topics, then subscriptions. */
  static List<Address> needed() {
    return RoutingDescription.union(DemoServices.routing());
  }

  /** Prints the entities and checks that each exists; fails naming those that do not. */
  static void check(FerryConfig config) {
    List<Address> needed = needed();
    System.out.println("Service Bus entities the demo needs (the transport creates none):");
    needed.forEach(a -> System.out.println("  " + describe(a)));
    List<String> missing;
    try {
      // Short retries: a check that cannot reach the namespace should say so in seconds.
      missing =
          dev.ferry.servicebus.ServiceBusEntities.missing(
                  config.withOverrides(
                      Map.of(
                          ServiceBusKeys.MAX_RETRIES.name(), "1",
                          ServiceBusKeys.TRY_TIMEOUT.name(), "15s")),
                  needed)
              .stream()
              .map(ServiceBusEntities::describe)
              .toList();
    } catch (FerryException e) {
      if (e instanceof ConfigurationException) {
        throw e;
      }
      throw new FerryException("Cannot reach Service Bus at " + where(config) + ": " + e, e);
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException(
          missing.size()
              + " Service Bus entit"
              + (missing.size() == 1 ? "y is" : "ies are")
              + " missing on "
              + where(config)
              + ": "
              + String.join("; ", missing)
              + ". Create them (docs/demo.md lists them all) and run the demo again.");
    }
    System.out.println("  all " + needed.size() + " exist");
  }

  static String describe(Address a) {
    return dev.ferry.servicebus.ServiceBusEntities.describe(a);
  }

  /**
   * Where the demo connects, without secrets: the namespace, or the host of the connection string's
   * Endpoint, never its key.
   */
  static String where(FerryConfig config) {
    String connectionString = config.get(ServiceBusKeys.CONNECTION_STRING);
    if (connectionString == null || connectionString.isBlank()) {
      return "namespace " + config.get(ServiceBusKeys.NAMESPACE);
    }
    for (String part : connectionString.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("endpoint")) {
        try {
          URI endpoint = URI.create(part.substring(eq + 1).trim());
          return "namespace "
              + endpoint.getHost()
              + (endpoint.getPort() > 0 ? ":" + endpoint.getPort() : "");
        } catch (IllegalArgumentException e) {
          break;
        }
      }
    }
    return "the namespace of " + ServiceBusKeys.CONNECTION_STRING.name();
  }
}
