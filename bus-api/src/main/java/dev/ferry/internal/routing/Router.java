package dev.ferry.internal.routing;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.internal.handlers.HandlerDescriptor;
import dev.ferry.internal.handlers.HandlerRegistry;
import dev.ferry.internal.types.MessageTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides where messages go and where this service listens.
 *
 * <ul>
 *   <li>send: an explicit rule for the alias, otherwise the convention: a queue named after the
 *       alias;
 *   <li>publish: an explicit rule naming a topic, otherwise a topic named after the alias;
 *   <li>listen: for each handled type, its send queue and a subscription named after this service
 *       on its publish topic, unless the handler names its own endpoint.
 * </ul>
 */
public final class Router {

  /** A route and why it was chosen. */
  public record Route(Address address, String reason) {}

  private final MessageTypes types;
  private final Map<String, Address> rules;
  private final String transport;
  private final String serviceName;

  public Router(
      MessageTypes types, Map<String, Address> rules, String transport, String serviceName) {
    this.types = types;
    this.transport = transport;
    this.serviceName = serviceName;
    Map<String, Address> qualified = new LinkedHashMap<>();
    rules.forEach((alias, address) -> qualified.put(alias, qualify(address, "route " + alias)));
    this.rules = qualified;
  }

  /** Fills in the configured transport, or fails if another is named. */
  public Address qualify(Address address, String where) {
    if (address.transport() == null) {
      return address.on(transport);
    }
    if (!address.transport().equals(transport)) {
      throw new ConfigurationException(
          where
              + " names transport '"
              + address.transport()
              + "' but ferry.transport is '"
              + transport
              + "'");
    }
    return address;
  }

  public Route sendRoute(Class<?> type) {
    String alias = types.aliasOf(type);
    Address rule = rules.get(alias);
    if (rule != null) {
      return new Route(rule, "rule");
    }
    return new Route(Address.queue(alias).on(transport), "convention: queue named after alias");
  }

  public Route publishRoute(Class<?> type) {
    String alias = types.aliasOf(type);
    Address rule = rules.get(alias);
    if (rule != null && rule.kind() == Address.Kind.TOPIC) {
      return new Route(rule, "rule");
    }
    return new Route(Address.topic(alias).on(transport), "convention: topic named after alias");
  }

  /**
   * The endpoints this service listens on, each with the handlers that listen there. A handler runs
   * only for messages arriving on its own endpoints: two handlers of one type on two subscriptions
   * each see only their subscription's copy.
   */
  public Map<Address, List<HandlerDescriptor>> listeningEndpoints(HandlerRegistry handlers) {
    Map<Address, List<HandlerDescriptor>> endpoints = new LinkedHashMap<>();
    for (HandlerDescriptor h : handlers.all()) {
      for (Address a : endpointsOf(h)) {
        endpoints.computeIfAbsent(a, k -> new ArrayList<>()).add(h);
      }
    }
    return endpoints;
  }

  private List<Address> endpointsOf(HandlerDescriptor h) {
    if (h.endpoint() != null) {
      return List.of(qualify(h.endpoint(), "@Handles(endpoint) of " + h.name()));
    }
    List<Address> result = new ArrayList<>();
    Address send = sendRoute(h.messageType()).address();
    if (send.kind() == Address.Kind.TOPIC) {
      result.add(Address.subscription(send.name(), serviceName).on(transport));
    } else {
      result.add(send);
    }
    Address topic = publishRoute(h.messageType()).address();
    Address subscription =
        topic.kind() == Address.Kind.TOPIC
            ? Address.subscription(topic.name(), serviceName).on(transport)
            : topic;
    if (!result.contains(subscription)) {
      result.add(subscription);
    }
    return result;
  }

  /** A readable routing report. */
  public String describe(HandlerRegistry handlers) {
    StringBuilder sb = new StringBuilder();
    sb.append("Routing of service '")
        .append(serviceName)
        .append("' on transport '")
        .append(transport)
        .append("'\n");
    Map<String, Class<?>> sorted = new TreeMap<>(types.all());
    for (Map.Entry<String, Class<?>> e : sorted.entrySet()) {
      Class<?> type = e.getValue();
      Route send = sendRoute(type);
      Route publish = publishRoute(type);
      sb.append("\n").append(e.getKey()).append(" (").append(type.getName()).append(")\n");
      sb.append("  send    -> ")
          .append(send.address())
          .append("  [")
          .append(send.reason())
          .append("]\n");
      sb.append("  publish -> ")
          .append(publish.address())
          .append("  [")
          .append(publish.reason())
          .append("]\n");
      List<HandlerDescriptor> hs = handlers.handlersFor(type);
      if (hs.isEmpty()) {
        sb.append("  handled here: no\n");
      }
      for (HandlerDescriptor h : hs) {
        sb.append("  handler ").append(h.name()).append(" listens on ");
        sb.append(String.join(", ", endpointsOf(h).stream().map(Address::toString).toList()));
        sb.append(h.endpoint() != null ? "  [@Handles(endpoint)]" : "  [routing]");
        sb.append("\n");
      }
    }
    return sb.toString();
  }
}
