package dev.ferry.samples.orders.war;

import dev.ferry.BusBuilder;
import dev.ferry.cdi.FerryCustomizer;
import dev.ferry.samples.orders.OrderFlow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.JMSDestinationDefinition;

/**
 * Message types and error policies of the order flow, shared with every other host of the handlers.
 *
 * <p>The queue of {@code ShipOrder} commands, named after its alias by the routing conventions, is
 * declared here because WildFly's broker does not create queues on first use ({@code
 * auto-create-queues} is off by default); Ferry addresses it by name. Topic subscriptions need no
 * declaration: Ferry creates them as shared durable subscriptions. In production, declare the queue
 * in the server's configuration instead ({@code jms-queue add}), so that its lifetime does not
 * follow the deployment's.
 */
@ApplicationScoped
@JMSDestinationDefinition(
    name = "java:app/jms/orders-shipping",
    interfaceName = "jakarta.jms.Queue",
    destinationName = "orders.ship-order.v1",
    description = "OrderFlow.SHIPPING_QUEUE: ShipOrder commands for the competing shipping workers")
// tag::customizer[]
public class OrderWiring implements FerryCustomizer {
  @Override
  public void customize(BusBuilder bus) {
    OrderFlow.configure(bus);
  }
}
// end::customizer[]
