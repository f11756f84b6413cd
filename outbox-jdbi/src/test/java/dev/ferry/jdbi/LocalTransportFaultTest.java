package dev.ferry.jdbi;

import dev.ferry.config.FerryConfig;
import dev.ferry.internal.local.LocalTransport;
import dev.ferry.spi.Transport;
import dev.ferry.testkit.conformance.StoreOutageScenario;
import dev.ferry.testkit.conformance.TransportFaultSuite;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link TransportFaultSuite} on the in-process transport. Its broker lives in the service's JVM,
 * so there is no broker to kill apart from it (that case is skipped), and it has no dead-letter
 * queue of its own: its listener holds, and never gives a message up to a broker's limit.
 */
class LocalTransportFaultTest extends JdbiStoreFaultSuite {
  private String broker;

  @BeforeEach
  void newBroker() {
    broker = "faults-" + UUID.randomUUID();
  }

  /** Shorter than on the brokers: there is no delivery limit here for a long outage to reach. */
  @Override
  protected StoreOutageScenario storeOutage() {
    return new StoreOutageScenario(transportName(), 200, 500, Duration.ofSeconds(5));
  }

  @Override
  protected String transportName() {
    return "local";
  }

  @Override
  protected Transport newTransport() {
    return new LocalTransport(FerryConfig.of(Map.of("ferry.local.broker", broker)));
  }

  @Override
  protected int nativeDeadLetters(String queue) {
    return 0;
  }

  @Override
  protected boolean crashBroker() {
    return false;
  }

  @Override
  protected void restartBroker() {}
}
