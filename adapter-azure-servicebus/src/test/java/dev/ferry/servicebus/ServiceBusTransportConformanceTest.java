package dev.ferry.servicebus;

import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.servicebus.internal.ServiceBusWireFormat;
import dev.ferry.testkit.conformance.TransportConformanceSuite;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The transport conformance suite on the Service Bus test double, through the real SDK. The suite's
 * queues, topic subscriptions and reply queues are created on first use (autoCreateEntities), as an
 * operator would have created them beforehand.
 */
class ServiceBusTransportConformanceTest extends TransportConformanceSuite {
  private static ServiceBusTestDouble serviceBus;

  @BeforeAll
  static void startDouble() {
    serviceBus = ServiceBusTestDouble.builder().autoCreateEntities(true).start();
  }

  @AfterAll
  static void stopDouble() {
    Doubles.closeChecked(serviceBus);
  }

  @Override
  protected BusBuilder newBus(String serviceName) {
    return MessageBus.builder()
        .serviceName(serviceName)
        .transport(Doubles.transport(serviceBus).build());
  }

  @Override
  protected void sendRaw(Address address, Envelope envelope) {
    Doubles.send(
        serviceBus,
        address.name(),
        ServiceBusWireFormat.toMessage(envelope, null, null, Instant.now()));
  }

  @Override
  protected long maxMessageBytes() {
    return Doubles.transport(serviceBus).build().capabilities().maxMessageBytes();
  }
}
