package dev.ferry.jdbi.docs;

import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The code of outbox-jdbi's README, compiled so that it keeps up with the API (DocSnippetsTest
 * compares the README's blocks with the tagged regions). Never run: the addresses are examples.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  @MessageType("shop.order-placed.v1")
  record OrderPlaced(UUID orderId) {}

  @MessageType("shop.order-placed-by.v1")
  record OrderPlacedBy(UUID orderId, String customer) {}

  private ReadmeExamples() {}

  static void naive(Jdbi jdbi, MessageBus bus, UUID id) {
    // tag::naive[]
    jdbi.useTransaction(h -> h.execute("insert into orders ..."));
    bus.publish(new OrderPlaced(id)); // the process dies here: the order exists, nobody hears of it
    // end::naive[]
  }

  static MessageBus usage(Object... handlers) {
    // tag::usage[]
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl("jdbc:postgresql://db:5432/shop") // or .dataSource(ds), or .jdbi(jdbi)
            .username("shop")
            .password(System.getenv("DB_PASSWORD"))
            .schema("ferry") // tables live here; created at start
            .build();

    MessageBus bus =
        MessageBus.builder().serviceName("shop").store(store).handlers(handlers).build();
    // end::usage[]
    return bus;
  }

  static void oneTransaction(JdbiEnvelopeStore store, MessageBus bus, UUID id, String customer) {
    // tag::one-transaction[]
    FerryJdbi.useTransaction(
        store,
        handle -> {
          handle.execute("insert into orders (id, customer) values (?, ?)", id, customer);
          bus.publish(new OrderPlacedBy(id, customer)); // written in this transaction
        }); // committed: now it is sent
    // end::one-transaction[]
  }

  @SuppressWarnings("try") // the binding is used by its extent: sends inside it join the handle
  static void ownHandle(Jdbi myJdbi, JdbiEnvelopeStore store, MessageBus bus, UUID id) {
    // tag::bind[]
    myJdbi.useTransaction(
        handle -> {
          try (var bound = store.bind(handle)) {
            handle.execute("insert into orders ...");
            bus.publish(new OrderPlaced(id));
          }
        });
    // end::bind[]
  }

  static final class Invoicing {
    // tag::handler[]
    @Handles
    public void on(OrderPlaced e, Handle handle) {
      handle.execute("insert into invoices (order_id) values (?)", e.orderId());
    }
    // end::handler[]
  }
}
