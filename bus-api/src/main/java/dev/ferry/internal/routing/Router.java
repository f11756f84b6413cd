package dev.ferry.internal.routing;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.Event;
import dev.ferry.internal.handlers.HandlerDescriptor;
import dev.ferry.internal.handlers.HandlerRegistry;
import dev.ferry.internal.types.MessageTypes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides where messages go and where this service listens.
 *
 * <p>A message type is a command unless it is an event ({@link Event}, or declared with {@code
 * BusBuilder.events}). Then:
 *
 * <ul>
 *   <li>a command goes to the queue named after its alias, and its handlers listen on that queue;
 *   <li>an event goes to the topic named after its alias, and its handlers listen on a subscription
 *       of that topic named after this service;
 *   <li>an explicit route for the alias wins over both: its handlers listen on the route's queue,
 *       or on this service's subscription of the route's topic;
 *   <li>{@code @Handles(endpoint)} names a handler's endpoint outright.
 * </ul>
 *
 * <p>So every alias names either a queue or a topic, never both, and a service listens only where
 * messages of its handled types are sent: one endpoint per handled type. Sending an event or
 * publishing a command without a route fails, naming the type, rather than sending where nobody
 * listens.
 */
public final class Router {

  /** A route and why it was chosen. */
  public record Route(Address address, String reason) {}

  private final MessageTypes types;
  private final Map<String, Address> rules;
  private final Set<Class<?>> declaredEvents;
  private final String transport;
  private final String serviceName;

  /**
   * @param rules explicit routes by alias
   * @param declaredEvents types declared events at registration (annotated ones need not be here)
   */
  public Router(
      MessageTypes types,
      Map<String, Address> rules,
      Collection<Class<?>> declaredEvents,
      String transport,
      String serviceName) {
    this.types = types;
    this.transport = transport;
    this.serviceName = serviceName;
    this.declaredEvents = Set.copyOf(declaredEvents);
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

  /** Whether the type is an event (published) rather than a command (sent). */
  public boolean isEvent(Class<?> type) {
    return type.isAnnotationPresent(Event.class) || declaredEvents.contains(type);
  }

  /** Where messages of this type go: its route, else the queue or topic named after its alias. */
  public Route route(Class<?> type) {
    String alias = types.aliasOf(type);
    Address rule = rules.get(alias);
    if (rule != null) {
      return new Route(rule, "route");
    }
    return isEvent(type)
        ? new Route(Address.topic(alias).on(transport), "convention: an event's topic")
        : new Route(Address.queue(alias).on(transport), "convention: a command's queue");
  }

  /** Where {@code send} puts a message; an event without a route is published, not sent. */
  public Route sendRoute(Class<?> type) {
    if (isEvent(type) && !rules.containsKey(types.aliasOf(type))) {
      throw new ConfigurationException(
          "Cannot send "
              + types.aliasOf(type)
              + " ("
              + type.getName()
              + "): it is an event, so it is published to its topic; publish it, or give it a"
              + " route (BusBuilder.route, ferry.routes)");
    }
    return route(type);
  }

  /** Where {@code publish} puts a message; a command without a route is sent, not published. */
  public Route publishRoute(Class<?> type) {
    if (!isEvent(type) && !rules.containsKey(types.aliasOf(type))) {
      throw new ConfigurationException(
          "Cannot publish "
              + types.aliasOf(type)
              + " ("
              + type.getName()
              + "): it is a command, so it is sent to the queue of its one handler; send it, or"
              + " mark the type @Event (BusBuilder.events for classes you cannot annotate)");
    }
    return route(type);
  }

  /**
   * The endpoints this service listens on, each with the handlers that listen there. A handler runs
   * only for messages arriving on its own endpoint.
   */
  public Map<Address, List<HandlerDescriptor>> listeningEndpoints(HandlerRegistry handlers) {
    Map<Address, List<HandlerDescriptor>> endpoints = new LinkedHashMap<>();
    for (HandlerDescriptor h : handlers.all()) {
      endpoints.computeIfAbsent(endpointOf(h), k -> new ArrayList<>()).add(h);
    }
    return endpoints;
  }

  private Address endpointOf(HandlerDescriptor h) {
    if (h.endpoint() != null) {
      return qualify(h.endpoint(), "@Handles(endpoint) of " + h.name());
    }
    Address to = route(h.messageType()).address();
    return to.kind() == Address.Kind.TOPIC
        ? Address.subscription(to.name(), serviceName).on(transport)
        : to;
  }

  /**
   * Every entity this service needs, without transport: the destination of each registered type
   * (the types it sends or handles), each endpoint it listens on (a subscription with its topic),
   * and {@code replies} if given. Queues first, then topics, then subscriptions, each by name.
   *
   * @throws ConfigurationException when a queue and a topic would share a name
   */
  public List<Address> entities(HandlerRegistry handlers, Address replies) {
    Set<Address> needed = new LinkedHashSet<>();
    for (Class<?> type : types.all().values()) {
      Address to = route(type).address();
      needed.add(to.kind() == Address.Kind.SUBSCRIPTION ? Address.topic(to.name()) : bare(to));
    }
    for (Address endpoint : listeningEndpoints(handlers).keySet()) {
      if (endpoint.kind() == Address.Kind.SUBSCRIPTION) {
        needed.add(Address.topic(endpoint.name()));
      }
      needed.add(bare(endpoint));
    }
    if (replies != null) {
      needed.add(bare(replies));
    }
    List<Address> sorted = new ArrayList<>(needed);
    sorted.sort(ENTITY_ORDER);
    checkNoSharedNames(sorted);
    return List.copyOf(sorted);
  }

  /** Queues, topics, subscriptions; by name within each. */
  public static final Comparator<Address> ENTITY_ORDER =
      Comparator.comparing(Address::kind)
          .thenComparing(Address::name)
          .thenComparing(a -> a.subscription() == null ? "" : a.subscription());

  private static Address bare(Address a) {
    return new Address(null, a.kind(), a.name(), a.subscription());
  }

  /**
   * Service Bus keeps queues and topics in one namespace (ignoring case), and Artemis would route a
   * message sent to the shared address to both: a name is a queue or a topic, never both.
   *
   * @throws ConfigurationException naming the first shared name
   */
  public static void checkNoSharedNames(Collection<Address> entities) {
    Map<String, Address> queues = new TreeMap<>();
    for (Address a : entities) {
      if (a.kind() == Address.Kind.QUEUE) {
        queues.put(a.name().toLowerCase(Locale.ROOT), a);
      }
    }
    for (Address a : entities) {
      if (a.kind() == Address.Kind.TOPIC && queues.containsKey(a.name().toLowerCase(Locale.ROOT))) {
        throw new ConfigurationException(
            "The queue and the topic '"
                + a.name()
                + "' would share a name, which Service Bus does not allow and on which Artemis"
                + " would deliver each message twice. Route one of them elsewhere (a command's"
                + " route, or @Handles(endpoint)).");
      }
    }
  }

  /**
   * A readable routing report: every type with its route and handlers, then {@code entities}, then
   * {@code perTransport} (the entities as each transport names them) as given.
   */
  public String describe(HandlerRegistry handlers, List<Address> entities, String perTransport) {
    StringBuilder sb = new StringBuilder();
    sb.append("Routing of service '")
        .append(serviceName)
        .append("' on transport '")
        .append(transport)
        .append("'\n");
    Map<String, Class<?>> sorted = new TreeMap<>(types.all());
    for (Map.Entry<String, Class<?>> e : sorted.entrySet()) {
      Class<?> type = e.getValue();
      Route route = route(type);
      boolean event = isEvent(type);
      sb.append("\n")
          .append(e.getKey())
          .append(" (")
          .append(type.getName())
          .append("), ")
          .append(event ? "an event" : "a command")
          .append("\n");
      sb.append(event ? "  publish -> " : "  send    -> ")
          .append(route.address())
          .append("  [")
          .append(route.reason())
          .append("]\n");
      List<HandlerDescriptor> hs = handlers.handlersFor(type);
      if (hs.isEmpty()) {
        sb.append("  handled here: no\n");
      }
      for (HandlerDescriptor h : hs) {
        sb.append("  handler ").append(h.name()).append(" listens on ").append(endpointOf(h));
        sb.append(h.endpoint() != null ? "  [@Handles(endpoint)]" : "  [routing]");
        sb.append("\n");
      }
    }
    sb.append("\nEntities this service needs\n");
    for (Address a : entities) {
      sb.append("  ").append(a).append("\n");
    }
    sb.append(perTransport);
    return sb.toString();
  }
}
