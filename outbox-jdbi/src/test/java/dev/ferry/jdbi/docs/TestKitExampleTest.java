package dev.ferry.jdbi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.BusExtension;
import dev.ferry.testkit.PostgresDatabase;
import dev.ferry.testkit.PostgresExtension;
import dev.ferry.testkit.TrackedSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test-kit README's example, run: a service's handlers on a real broker and a real database,
 * its cascade followed to the end (DocSnippetsTest compares the README with the tagged region).
 */
class TestKitExampleTest {
  @MessageType("shop.place-order.v1")
  public record PlaceOrder(String orderId) {}

  @MessageType("shop.order-confirmed.v1")
  public record OrderConfirmed(String orderId) {}

  public static final class OrderHandlers {
    @Handles
    public OrderConfirmed on(PlaceOrder order) {
      return new OrderConfirmed(order.orderId());
    }

    @Handles
    public void on(OrderConfirmed confirmed) {}
  }

  // tag::kit[]
  @RegisterExtension static final ArtemisExtension artemis = new ArtemisExtension();
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @RegisterExtension
  final BusExtension orders =
      new BusExtension(
          resources -> {
            PostgresDatabase db = PostgresExtension.database();
            JdbiEnvelopeStore store =
                JdbiEnvelopeStore.builder()
                    .jdbcUrl(db.jdbcUrl())
                    .username(db.username())
                    .password(db.password())
                    .schema(db.newSchema()) // each test in a schema of its own
                    .build();
            return MessageBus.builder()
                .serviceName("orders")
                .transport(JmsTransport.builder().url(artemis.broker().tcpUrl()).build())
                .store(resources.closeAfterTest(store))
                .handlers(new OrderHandlers());
          });

  @Test
  void anOrderIsConfirmed() {
    TrackedSession session = orders.execute(() -> orders.bus().send(new PlaceOrder("o-1")));

    assertThat(session.handled(OrderConfirmed.class)).hasSize(1);
    assertThat(session.deadLettered()).isEmpty();
  }
  // end::kit[]
}
