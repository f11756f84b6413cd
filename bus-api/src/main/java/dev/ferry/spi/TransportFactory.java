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
}
