package dev.ferry.samples.orders;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import org.jdbi.v3.core.Handle;

/**
 * Billing's subscription to {@link OrderPlaced}: invoices the order and asks for it to be shipped.
 * The invoice row, the inbox record and the {@link ShipOrder} command commit together.
 */
public class BillingHandler {

  @Handles(endpoint = OrderFlow.BILLING_SUBSCRIPTION)
  public ShipOrder on(OrderPlaced order, Handle handle, MessageContext context) {
    if (!OrderFlow.arrivedOn(context, OrderFlow.BILLING_SUBSCRIPTION)) {
      return null; // the e-mail subscription's copy
    }
    handle
        .createUpdate("insert into invoices (order_id, amount) values (:id, :amount)")
        .bind("id", order.orderId())
        .bind("amount", order.total())
        .execute();
    return new ShipOrder(order.orderId(), order.customer(), order.items());
  }
}
