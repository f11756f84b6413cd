package dev.ferry.samples.orders;

import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageContext;
import java.time.Duration;
import java.util.List;

/**
 * The wiring of the order workflow, the same in every host:
 *
 * <pre>
 *   POST /orders -- Orders.place --> publish OrderPlaced (topic orders.order-placed.v1)
 *        subscription "billing" --> BillingHandler --> send ShipOrder (queue orders.shipping)
 *        subscription "email"   --> EmailHandler
 *   queue orders.shipping      --> ShippingWorker (competing consumers; retries, then dead letter)
 * </pre>
 *
 * <p>Billing and email are two services that happen to be deployed together here. Each has its own
 * subscription, named as that service would name it (a bus with {@code ferry.service-name=billing}
 * subscribes as {@code billing}), so each gets its own copy of every event, with its own inbox
 * record, retries and dead letters; one failing never re-runs the other. Moving either into a
 * deployment of its own changes nothing on the wire.
 */
public final class OrderFlow {
  /** The service this sample is deployed as. */
  public static final String SERVICE = "orders";

  public static final String BILLING_SUBSCRIPTION =
      "topic:orders.order-placed.v1/subscriptions/billing";
  public static final String EMAIL_SUBSCRIPTION =
      "topic:orders.order-placed.v1/subscriptions/email";
  public static final String SHIPPING_QUEUE = "queue:orders.shipping";

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

  /**
   * Whether a delivery arrived on {@code endpoint} (transport aside). The runtime currently hands
   * an event to every handler of its type on each endpoint it arrives on, so the billing handler
   * would also run for the e-mail subscription's copy; each subscriber handles only the copy of its
   * own subscription until bus-api dispatches by endpoint, after which this check is always true.
   */
  public static boolean arrivedOn(MessageContext context, String endpoint) {
    Address expected = Address.parse(endpoint);
    Address actual = context.endpoint();
    return actual.kind() == expected.kind()
        && actual.name().equals(expected.name())
        && java.util.Objects.equals(actual.subscription(), expected.subscription());
  }

  /** Routes and error policies of the flow; handlers are registered by the host. */
  public static BusBuilder configure(BusBuilder bus) {
    return bus.messageTypes(OrderPlaced.class, ShipOrder.class)
        .route(ShipOrder.class, SHIPPING_QUEUE)
        .onError(carrierPolicy());
  }
}
