package dev.ferry.spi;

import dev.ferry.config.FerryConfig;

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
   * Creates the transport named {@code name} with the factory registered for it, or fails naming
   * the transports that are on the class path.
   */
  static Transport load(String name, FerryConfig config) {
    java.util.List<String> known = new java.util.ArrayList<>();
    for (TransportFactory f :
        java.util.ServiceLoader.load(
            TransportFactory.class, TransportFactory.class.getClassLoader())) {
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
