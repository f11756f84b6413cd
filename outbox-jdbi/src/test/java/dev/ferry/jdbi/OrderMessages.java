package dev.ferry.jdbi;

import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import java.time.Duration;

/** Message types of the outbox tests, and the shop that sends them. */
final class OrderMessages {
  private OrderMessages() {}

  @MessageType("ferry.test.order-placed.v1")
  record OrderPlaced(String id) {}

  /**
   * The shop's bus: orders placed go through the store's outbox (polled often, short leases) to a
   * local broker named {@code unique}, and come back to {@code handlers} from its orders queue.
   */
  static MessageBus shop(JdbiEnvelopeStore store, String unique, Object handlers) {
    return MessageBus.builder()
        .serviceName("shop")
        .nodeId("node-" + unique)
        .localBroker(unique)
        .store(store)
        .messageTypes(OrderPlaced.class)
        .route(OrderPlaced.class, "queue:" + unique + ".orders")
        .outbox(
            OutboxOptions.defaults()
                .pollInterval(Duration.ofMillis(100))
                .lease(Duration.ofSeconds(2)))
        .handlers(handlers)
        .build();
  }
}
