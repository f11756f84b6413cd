package dev.ferry.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.Address;
import dev.ferry.MessageBus;
import dev.ferry.RoutingDescription;
import org.junit.jupiter.api.Test;

/** The flow is routed by the conventions alone: its entities follow from the message types. */
class OrderFlowRoutingTest {

  @Test
  void theServiceNeedsTheCommandsQueueTheEventsTopicAndItsOwnSubscription() {
    RoutingDescription routing =
        OrderFlow.configure(MessageBus.builder())
            .serviceName(OrderFlow.SERVICE)
            .handlers(new BillingHandler(), new EmailHandler(), new ShippingWorker("n1"))
            .describeRouting();
    assertThat(routing.entities())
        .containsExactly(
            Address.parse(OrderFlow.SHIPPING_QUEUE),
            Address.topic(OrderFlow.ORDER_TOPIC),
            Address.subscription(OrderFlow.ORDER_TOPIC, OrderFlow.SERVICE));
    assertThat(routing.report())
        .contains("orders.order-placed.v1 (" + OrderPlaced.class.getName() + "), an event")
        .contains(
            "handler BillingHandler.on(OrderPlaced) listens on"
                + " local:topic:orders.order-placed.v1/subscriptions/orders  [routing]")
        .contains(
            "handler EmailHandler.on(OrderPlaced) listens on"
                + " local:topic:orders.order-placed.v1/subscriptions/orders  [routing]")
        .contains(
            "handler ShippingWorker.on(ShipOrder) listens on local:queue:orders.ship-order.v1"
                + "  [routing]")
        .doesNotContain("@Handles(endpoint)");
  }
}
