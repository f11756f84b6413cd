package dev.ferry.jms;

import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.jms.internal.JmsWireFormat;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.conformance.TransportConformanceSuite;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The transport conformance suite on an embedded Artemis over TCP. */
class JmsTransportConformanceTest extends TransportConformanceSuite {
  @RegisterExtension static final ArtemisExtension artemis = new ArtemisExtension();

  @Override
  protected BusBuilder newBus(String serviceName) {
    return MessageBus.builder()
        .serviceName(serviceName)
        .transport(JmsTransport.builder().url(artemis.broker().tcpUrl()).build());
  }

  @Override
  protected void sendRaw(Address address, Envelope envelope) throws Exception {
    try (Connection c =
        new ActiveMQConnectionFactory(artemis.broker().tcpUrl()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(address.name()));
      p.send(JmsWireFormat.toMessage(s, envelope, false, null));
    }
  }
}
