package dev.ferry.servicebus;

import dev.ferry.Address;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.internal.ServiceBusTopology;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;
import java.util.List;

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

  /** Queues, topics and subscriptions with their SQL filter rule. */
  @Override
  public List<String> entities(List<Address> addresses) {
    return ServiceBusTopology.entities(addresses);
  }

  /** Azure CLI commands; the transport creates no entities itself. */
  @Override
  public String provisioning(List<Address> addresses) {
    return ServiceBusTopology.azureCli(addresses);
  }
}
