package dev.ferry.samples.orders;

import dev.ferry.Handles;
import org.jdbi.v3.core.Handle;

/**
 * Billing's part of handling {@link OrderPlaced}: invoices the order and asks for it to be shipped.
 * The invoice row, the inbox record and the {@link ShipOrder} command commit together.
 */
public class BillingHandler {

  @Handles
  public ShipOrder on(OrderPlaced order, Handle handle) {
    handle
        .createUpdate("insert into invoices (order_id, amount) values (:id, :amount)")
        .bind("id", order.orderId())
        .bind("amount", order.total())
        .execute();
    return new ShipOrder(order.orderId(), order.customer(), order.items());
  }
}
