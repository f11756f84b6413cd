package dev.ferry.functions.internal;

import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Creates the transport {@code ferry.transport} names, as the bus would. */
public final class TransportLookup {
  private TransportLookup() {}

  public static Transport create(FerryConfig config) {
    String name = config.require(FerryKeys.TRANSPORT);
    List<String> known = new ArrayList<>();
    for (TransportFactory f :
        ServiceLoader.load(TransportFactory.class, TransportLookup.class.getClassLoader())) {
      if (f.name().equals(name)) {
        return f.create(config);
      }
      known.add(f.name());
    }
    throw new ConfigurationException(
        "ferry.transport is '"
            + name
            + "' but no such transport is on the classpath (available: "
            + known
            + ")");
  }
}
