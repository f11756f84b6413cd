package dev.ferry.jms;

import dev.ferry.Address;
import dev.ferry.config.FerryConfig;
import dev.ferry.jms.internal.ArtemisTopology;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;
import java.util.List;

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

  /** As Artemis names them; see {@code docs/wire-format.md} for other JMS providers. */
  @Override
  public List<String> entities(List<Address> addresses) {
    return ArtemisTopology.entities(addresses);
  }

  /** A broker.xml fragment: addresses and address settings. */
  @Override
  public String provisioning(List<Address> addresses) {
    return ArtemisTopology.brokerXml(addresses);
  }
}
