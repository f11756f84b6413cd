package dev.ferry.jdbi.contract;

import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jdbi.TestStores;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store against the contract, each test in a schema of its own. */
@ExtendWith(PostgresExtension.class)
class JdbiEnvelopeStoreContractTest extends EnvelopeStoreContract {
  private final PostgresDatabase db = PostgresExtension.database();

  @Override
  protected EnvelopeStore createStore() {
    JdbiEnvelopeStore s = TestStores.builder(db).build();
    s.start("contract-node");
    return s;
  }

  @Override
  protected void dispose(EnvelopeStore store) {
    store.close();
    db.dropSchema(((JdbiEnvelopeStore) store).schema());
  }
}
