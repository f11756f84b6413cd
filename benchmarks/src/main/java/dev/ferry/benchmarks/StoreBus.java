package dev.ferry.benchmarks;

import dev.ferry.MessageBus;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.benchmarks.StoreOrders.OrderPlaced;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.spi.Transport;
import java.time.Duration;

/** The bus of the store benchmark: on the store under test, sending through the given transport. */
final class StoreBus {
  private StoreBus() {}

  static MessageBus bus(JdbiEnvelopeStore store, Transport transport, Duration poll) {
    return bus(store, transport, poll, 100, 2);
  }

  static MessageBus bus(
      JdbiEnvelopeStore store, Transport transport, Duration poll, int batch, int senders) {
    return MessageBus.builder()
        .serviceName("bench")
        .transport(transport)
        .store(store)
        .messageTypes(OrderPlaced.class)
        .route(OrderPlaced.class, "queue:orders")
        .outbox(OutboxOptions.defaults().pollInterval(poll).batchSize(batch))
        .sender(SenderOptions.defaults().batchSize(batch).parallelism(senders))
        .build();
  }

  /** Waits until everything sent has left the outbox. */
  static void settle(JdbiEnvelopeStore store, MessageBus bus) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      bus.flush(Duration.ofSeconds(10));
      if (store.outgoingCount() == 0) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("The outbox did not drain");
  }
}
