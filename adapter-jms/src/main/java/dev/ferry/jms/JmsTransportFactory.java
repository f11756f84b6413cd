package dev.ferry.jms;

import dev.ferry.config.FerryConfig;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;

/** Registers the JMS transport under {@code ferry.transport=jms}. */
public final class JmsTransportFactory implements TransportFactory {
  @Override
  public String name() {
    return JmsTransport.NAME;
  }

  @Override
  public Transport create(FerryConfig config) {
    return JmsTransport.fromConfig();
  }
}
