package dev.ferry.servicebus;

import dev.ferry.config.FerryConfig;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;

/** Registers the Azure Service Bus transport under {@code ferry.transport=servicebus}. */
public final class ServiceBusTransportFactory implements TransportFactory {
  @Override
  public String name() {
    return ServiceBusTransport.NAME;
  }

  @Override
  public Transport create(FerryConfig config) {
    return ServiceBusTransport.fromConfig(config);
  }
}
