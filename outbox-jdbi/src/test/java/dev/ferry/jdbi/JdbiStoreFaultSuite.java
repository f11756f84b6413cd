package dev.ferry.jdbi;

import dev.ferry.spi.EnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.conformance.TransportFaultSuite;
import java.time.Duration;

/** The transport fault suite with this module's PostgreSQL store under every bus. */
abstract class JdbiStoreFaultSuite extends TransportFaultSuite {

  @Override
  protected EnvelopeStore newStore(PostgresDatabase database, Duration connectionTimeout) {
    return TestStores.builder(database).connectionTimeout(connectionTimeout).build();
  }
}
