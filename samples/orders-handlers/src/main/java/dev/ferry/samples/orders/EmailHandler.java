package dev.ferry.samples.orders;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import org.jdbi.v3.core.Handle;

/**
 * The e-mail service's subscription to {@link OrderPlaced}: its own copy of the event, its own
 * retries and dead letters, whatever billing does. "Sending" records the mail in a table.
 */
public class EmailHandler {

  @Handles(endpoint = OrderFlow.EMAIL_SUBSCRIPTION)
  public void on(OrderPlaced order, Handle handle, MessageContext context) {
    if (!OrderFlow.arrivedOn(context, OrderFlow.EMAIL_SUBSCRIPTION)) {
      return; // billing's copy
    }
    handle
        .createUpdate(
            "insert into emails (order_id, recipient, subject) values (:id, :to, :subject)")
        .bind("id", order.orderId())
        .bind("to", order.email())
        .bind("subject", "Your order of " + order.items() + " article(s) is confirmed")
        .execute();
  }
}
