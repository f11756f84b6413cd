package dev.ferry.samples.demo;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.FerryException;
import dev.ferry.Handles;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.ServiceBusKeys;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Service Bus entities the demo's services use. The Service Bus transport never creates
 * entities, so on a real namespace they must exist before the demo starts: it prints this list,
 * checks each entity and fails naming the missing ones, instead of starting listeners that wait.
 *
 * <p>The list is read from the handlers in {@link DemoServices}, each of which names its endpoint,
 * plus the queue where the pinger gets its replies ({@code ferry.replies.<node-id>}).
 */
final class ServiceBusEntities {
  /** The pinger's node id, fixed so that its reply queue has a name that can be created ahead. */
  static final String PINGER_NODE_ID = "demo-pinger";

  private static final Comparator<Address> BY_NAME =
      Comparator.comparing(Address::name)
          .thenComparing(a -> a.subscription() == null ? "" : a.subscription());

  private ServiceBusEntities() {}

  /**
   * The endpoints of the demo's handlers and the pinger's reply queue: queues first, then
   * subscriptions. Every topic the demo publishes to has a subscription here, so it exists when
   * they do.
   */
  static List<Address> needed() {
    Set<Address> endpoints = new LinkedHashSet<>();
    for (Class<?> handlers : DemoServices.handlerClasses()) {
      for (Method m : handlers.getMethods()) {
        Handles h = m.getAnnotation(Handles.class);
        if (h != null) {
          endpoints.add(Address.parse(h.endpoint()));
        }
      }
    }
    endpoints.add(Address.queue("ferry.replies." + PINGER_NODE_ID));
    List<Address> all = new ArrayList<>();
    endpoints.stream()
        .filter(a -> a.kind() == Address.Kind.QUEUE)
        .sorted(BY_NAME)
        .forEach(all::add);
    endpoints.stream()
        .filter(a -> a.kind() != Address.Kind.QUEUE)
        .sorted(BY_NAME)
        .forEach(all::add);
    return all;
  }

  /** Prints the entities and checks that each exists; fails naming those that do not. */
  static void check(FerryConfig config) {
    ServiceBusClientBuilder clients = clients(config);
    List<Address> needed = needed();
    System.out.println("Service Bus entities the demo needs (the transport creates none):");
    needed.forEach(a -> System.out.println("  " + describe(a)));
    List<String> missing = new ArrayList<>();
    for (Address a : needed) {
      if (!exists(clients, config, a)) {
        missing.add(describe(a));
      }
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
    return a.kind() == Address.Kind.QUEUE
        ? "queue " + a.name()
        : "topic " + a.name() + " with subscription " + a.subscription();
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

  /** Clients as the transport builds them from the same keys, with short retries for a check. */
  private static ServiceBusClientBuilder clients(FerryConfig config) {
    ServiceBusClientBuilder b =
        new ServiceBusClientBuilder()
            .retryOptions(
                new AmqpRetryOptions().setMaxRetries(1).setTryTimeout(Duration.ofSeconds(15)));
    String connectionString = config.get(ServiceBusKeys.CONNECTION_STRING);
    String namespace = config.get(ServiceBusKeys.NAMESPACE);
    if (connectionString != null && !connectionString.isBlank()) {
      try {
        return b.connectionString(connectionString.trim());
      } catch (RuntimeException e) {
        // The SDK's message is not kept: a malformed part may hold the key.
        throw new ConfigurationException(
            ServiceBusKeys.CONNECTION_STRING.name()
                + " is not a valid Service Bus connection string");
      }
    }
    if (namespace != null && !namespace.isBlank()) {
      DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
      String clientId = config.get(ServiceBusKeys.MANAGED_IDENTITY_CLIENT_ID);
      if (clientId != null && !clientId.isBlank()) {
        credential.managedIdentityClientId(clientId.trim());
      }
      return b.credential(namespace.trim(), credential.build());
    }
    throw new ConfigurationException(
        "ferry.transport=servicebus needs "
            + ServiceBusKeys.CONNECTION_STRING.name()
            + " ("
            + ServiceBusKeys.CONNECTION_STRING.environmentVariable()
            + ") or "
            + ServiceBusKeys.NAMESPACE.name()
            + " ("
            + ServiceBusKeys.NAMESPACE.environmentVariable()
            + ")");
  }

  /** By a peek, as the transport's listeners check; a topic is checked through its subscription. */
  private static boolean exists(ServiceBusClientBuilder clients, FerryConfig config, Address a) {
    ServiceBusClientBuilder.ServiceBusReceiverClientBuilder r = clients.receiver();
    if (a.kind() == Address.Kind.SUBSCRIPTION) {
      r.topicName(a.name()).subscriptionName(a.subscription());
    } else {
      r.queueName(a.name());
    }
    try (ServiceBusReceiverClient peeker = r.buildClient()) {
      peeker.peekMessage();
      return true;
    } catch (RuntimeException e) {
      if (isNotFound(e)) {
        return false;
      }
      throw new FerryException(
          "Cannot reach Service Bus at " + where(config) + " (checking " + describe(a) + "): " + e,
          e);
    }
  }

  private static boolean isNotFound(Throwable error) {
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
}
