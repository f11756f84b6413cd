package dev.ferry;

import dev.ferry.internal.routing.Router;
import dev.ferry.spi.TransportFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The routing of one service: the readable report of {@link MessageBus#describeRouting()} and the
 * entities the service needs, which are also the topology to create on a broker that does not
 * create them itself (Service Bus) or that should type its addresses ahead (Artemis).
 *
 * <p>Obtained from {@link BusBuilder#describeRouting()} without starting anything, so that a
 * deployment can print and create its entities before the first service starts.
 */
public final class RoutingDescription {
  private final String report;
  private final List<Address> entities;

  RoutingDescription(String report, List<Address> entities) {
    this.report = report;
    this.entities = List.copyOf(entities);
  }

  /** The readable report, as {@link MessageBus#describeRouting()} prints it. */
  public String report() {
    return report;
  }

  /**
   * The entities this service needs, naming no transport: queues, then topics, then subscriptions.
   */
  public List<Address> entities() {
    return entities;
  }

  /**
   * Text that creates {@code entities} on {@code transport}, in the broker's own terms: Azure CLI
   * commands for {@code servicebus}, broker.xml addresses and address settings for {@code jms}
   * (Artemis); empty for a transport that needs nothing ahead.
   *
   * @throws ConfigurationException when no such transport is on the class path
   */
  public static String provisioning(String transport, Collection<Address> entities) {
    return factory(transport).provisioning(sorted(entities));
  }

  /**
   * The entities of several services (a deployment's), each once, in entity order.
   *
   * @throws ConfigurationException when one service's queue and another's topic share a name, as
   *     when the services disagree on whether a type is a command or an event
   */
  public static List<Address> union(Collection<RoutingDescription> services) {
    LinkedHashSet<Address> all = new LinkedHashSet<>();
    services.forEach(s -> all.addAll(s.entities()));
    List<Address> sorted = sorted(all);
    Router.checkNoSharedNames(sorted);
    return sorted;
  }

  private static List<Address> sorted(Collection<Address> entities) {
    List<Address> list = new ArrayList<>(new LinkedHashSet<>(entities));
    list.sort(Router.ENTITY_ORDER);
    return list;
  }

  private static TransportFactory factory(String transport) {
    Objects.requireNonNull(transport, "transport");
    List<String> known = new ArrayList<>();
    for (TransportFactory f : TransportFactory.available()) {
      if (f.name().equals(transport)) {
        return f;
      }
      known.add(f.name());
    }
    throw new ConfigurationException(
        "No transport '" + transport + "' is on the class path (available: " + known + ")");
  }

  @Override
  public String toString() {
    return report;
  }
}
