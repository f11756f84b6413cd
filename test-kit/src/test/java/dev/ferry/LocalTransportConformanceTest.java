package dev.ferry;

import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Sender;
import dev.ferry.spi.TransportContext;
import dev.ferry.testkit.conformance.TransportConformanceSuite;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

class LocalTransportConformanceTest extends TransportConformanceSuite {
  private LocalTransport raw;

  @Override
  protected BusBuilder newBus(String serviceName) {
    return MessageBus.builder().serviceName(serviceName).localBroker(unique);
  }

  @Override
  protected void sendRaw(Address address, Envelope envelope) throws Exception {
    if (raw == null) {
      raw = new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", unique)));
      raw.start(
          new TransportContext("raw", "raw", FerryConfig.of(Map.of()), HostExecutors.bounded()));
    }
    try (Sender s = raw.sender(address)) {
      s.send(List.of(envelope));
    }
  }

  @AfterEach
  void closeRaw() {
    if (raw != null) {
      raw.close();
      raw = null;
    }
  }
}
