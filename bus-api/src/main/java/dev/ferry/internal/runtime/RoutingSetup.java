package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryKeys;
import dev.ferry.internal.handlers.ClasspathScanner;
import dev.ferry.internal.handlers.HandlerRegistry;
import dev.ferry.internal.routing.Router;
import dev.ferry.internal.types.MessageTypes;
import dev.ferry.spi.TransportFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing part of a bus, prepared from what the builder collected before anything connects:
 * message types, handlers, explicit routes and the router. The runtime starts from it, and the
 * builder describes it without starting.
 */
public final class RoutingSetup {
  final MessageTypes types;
  final HandlerRegistry handlers;
  final Router router;
  private final Address replies;

  private RoutingSetup(
      MessageTypes types, HandlerRegistry handlers, Router router, Address replies) {
    this.types = types;
    this.handlers = handlers;
    this.router = router;
    this.replies = replies;
  }

  /**
   * @param transport the transport's name
   * @param replies this node's reply queue when its id is configured (so it can be created ahead),
   *     otherwise null
   */
  static RoutingSetup prepare(BusSpec spec, String transport, String serviceName, Address replies) {
    MessageTypes types = new MessageTypes();
    spec.messageTypes().forEach((alias, type) -> types.register(alias, type));
    spec.annotatedTypes().forEach(types::register);
    spec.events().forEach(types::aliasOf);
    HandlerRegistry handlers = registerHandlers(spec);
    handlers.handledTypes().forEach(types::aliasOf);
    handlers.returnedTypes().forEach(types::aliasOf);

    Map<String, Address> rules = new LinkedHashMap<>();
    List<String> configured = spec.config().get(FerryKeys.ROUTES);
    for (String pair : configured == null ? List.<String>of() : configured) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigurationException("ferry.routes entry '" + pair + "' is not alias=address");
      }
      rules.put(pair.substring(0, eq).trim(), parseAddress(pair.substring(eq + 1).trim()));
    }
    spec.routes().forEach((type, address) -> rules.put(types.aliasOf(type), parseAddress(address)));
    Router router = new Router(types, rules, spec.events(), transport, serviceName);
    RoutingSetup setup = new RoutingSetup(types, handlers, router, replies);
    setup.entities(); // fails now if a queue and a topic would share a name
    return setup;
  }

  /** Every entity this service needs, naming no transport. */
  public List<Address> entities() {
    return router.entities(handlers, replies);
  }

  /** The readable report, with the entities as each transport on the class path names them. */
  public String report() {
    List<Address> entities = entities();
    StringBuilder perTransport = new StringBuilder();
    for (TransportFactory f : TransportFactory.available()) {
      perTransport.append("\nOn ").append(f.name()).append(":\n");
      f.entities(entities).forEach(line -> perTransport.append("  ").append(line).append("\n"));
    }
    return router.describe(handlers, entities, perTransport.toString());
  }

  private static Address parseAddress(String text) {
    try {
      return Address.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("Invalid route address: " + e.getMessage(), e);
    }
  }

  private static HandlerRegistry registerHandlers(BusSpec spec) {
    HandlerRegistry handlers = new HandlerRegistry();
    spec.handlerInstances().forEach(handlers::registerInstance);
    for (BusSpec.ExplicitHandler<?> h : spec.explicitHandlers()) {
      registerExplicit(handlers, h);
    }
    List<Class<?>> classes = new ArrayList<>(spec.handlerClasses());
    List<String> packages = spec.config().get(FerryKeys.SCAN_PACKAGES);
    if (packages != null && !packages.isEmpty()) {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      classes.addAll(
          ClasspathScanner.handlerClasses(
              cl != null ? cl : RoutingSetup.class.getClassLoader(), packages));
    }
    for (Class<?> c : classes.stream().distinct().toList()) {
      handlers.registerInstance(spec.handlerFactory().apply(c));
    }
    return handlers;
  }

  private static <T> void registerExplicit(HandlerRegistry handlers, BusSpec.ExplicitHandler<T> h) {
    handlers.register(h.type(), h.handler(), h.name());
  }
}
