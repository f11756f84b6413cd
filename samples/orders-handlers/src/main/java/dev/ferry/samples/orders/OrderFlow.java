package dev.ferry.samples.orders;

import dev.ferry.BusBuilder;
import dev.ferry.ErrorPolicy;
import java.time.Duration;
import java.util.List;

/**
 * The wiring of the order workflow, the same in every host and on every transport. No handler and
 * no route names an endpoint: the routing conventions derive them from the message types.
 *
 * <pre>
 *   POST /orders -- Orders.place --> publish OrderPlaced (an event: topic orders.order-placed.v1)
 *        subscription "orders" --> BillingHandler --> send ShipOrder (a command)
 *                              --> EmailHandler
 *   queue orders.ship-order.v1 --> ShippingWorker (competing consumers; retries, then dead letter)
 * </pre>
 *
 * <p>Billing and e-mail are deployed together here, in the service {@value #SERVICE}: they share
 * its subscription and handle each copy in one transaction, so that a failure of either retries
 * both and neither commits alone. Deployed as services of their own ({@code
 * ferry.service-name=billing} and {@code email}), each gets its own subscription, copy, inbox
 * record, retries and dead letters; nothing else changes.
 */
public final class OrderFlow {
  /** The service this sample is deployed as. */
  public static final String SERVICE = "orders";

  /**
   * Where the conventions put {@link ShipOrder} commands: the queue named after its alias. Not
   * routing input; for checks and for hosts that must name the entity (a Functions trigger).
   */
  public static final String SHIPPING_QUEUE = "queue:orders.ship-order.v1";

  /** The topic of {@link OrderPlaced}, named after its alias; see {@link #SHIPPING_QUEUE}. */
  public static final String ORDER_TOPIC = "orders.order-placed.v1";

  /** Attempts a shipment gets before it is dead-lettered. */
  public static final int SHIPPING_ATTEMPTS = 3;

  private OrderFlow() {}

  /** The handler classes, for hosts that do not discover them (SE, Functions). */
  public static List<Class<?>> handlerClasses() {
    return List.of(BillingHandler.class, EmailHandler.class, ShippingWorker.class);
  }

  /**
   * Shipping while the carrier is closed: one retry at once, one after a pause, then dead letter.
   */
  public static ErrorPolicy carrierPolicy() {
    return ErrorPolicy.on(CarrierUnavailableException.class)
        .forMessages(ShipOrder.class)
        .retry(1)
        .thenRetryAfter(Duration.ofMillis(200))
        .thenDeadLetter();
  }

  /** Message types and error policies of the flow; handlers are registered by the host. */
  public static BusBuilder configure(BusBuilder bus) {
    return bus.messageTypes(OrderPlaced.class, ShipOrder.class).onError(carrierPolicy());
  }
}
