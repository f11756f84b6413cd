package dev.ferry.internal.local;

import dev.ferry.config.FerryConfig;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;

/** Registers the local transport under {@code ferry.transport=local}. */
public final class LocalTransportFactory implements TransportFactory {
  @Override
  public String name() {
    return LocalTransport.NAME;
  }

  @Override
  public Transport create(FerryConfig config) {
    return new LocalTransport(config);
  }
}
