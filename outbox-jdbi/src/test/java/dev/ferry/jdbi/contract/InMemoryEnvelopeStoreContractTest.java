package dev.ferry.jdbi.contract;

import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.spi.EnvelopeStore;
import java.time.Duration;

/** The reference store is held to the same contract as the durable one. */
class InMemoryEnvelopeStoreContractTest extends EnvelopeStoreContract {
  @Override
  protected EnvelopeStore createStore() {
    return new InMemoryEnvelopeStore(100000, 100000, 10000, Duration.ofSeconds(1));
  }
}
