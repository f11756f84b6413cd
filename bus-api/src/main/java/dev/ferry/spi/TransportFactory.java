package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.config.FerryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates a transport by name; registered in {@code
 * META-INF/services/dev.ferry.spi.TransportFactory}.
 */
public interface TransportFactory {

  /** The value of {@code ferry.transport} that selects this factory. */
  String name();

  /**
   * Creates the transport from configuration. Fails with a {@link dev.ferry.ConfigurationException}
   * naming the key when required settings are missing.
   */
  Transport create(FerryConfig config);

  /**
   * The broker entities behind these addresses on this transport, one line each, for the routing
   * report. The addresses name no transport; queues come first, then topics, then subscriptions.
   */
  default List<String> entities(List<Address> addresses) {
    return addresses.stream().map(Address::toString).toList();
  }

  /**
   * Text that creates these entities on the broker, in its own terms (for example Azure CLI
   * commands, or broker.xml address settings), or an empty string when nothing must be created
   * ahead.
   */
  default String provisioning(List<Address> addresses) {
    return "";
  }

  /** The factories registered on the class path, in service-loader order. */
  static List<TransportFactory> available() {
    List<TransportFactory> all = new ArrayList<>();
    ServiceLoader.load(TransportFactory.class, TransportFactory.class.getClassLoader())
        .forEach(all::add);
    return all;
  }

  /**
   * Creates the transport named {@code name} with the factory registered for it, or fails naming
   * the transports that are on the class path.
   */
  static Transport load(String name, FerryConfig config) {
    List<String> known = new ArrayList<>();
    for (TransportFactory f : available()) {
      if (f.name().equals(name)) {
        return f.create(config);
      }
      known.add(f.name());
    }
    throw new dev.ferry.ConfigurationException(
        "ferry.transport is '"
            + name
            + "' but no such transport is on the classpath (available: "
            + known
            + "). Add its module, e.g. ferry-adapter-jms.");
  }
}
