package dev.ferry.samples.orders;

import dev.ferry.Handles;
import org.jdbi.v3.core.Handle;

/**
 * The confirmation e-mail for each {@link OrderPlaced}. "Sending" records the mail in a table, in
 * the same transaction as billing's invoice while both are deployed in one service.
 */
public class EmailHandler {

  @Handles
  public void on(OrderPlaced order, Handle handle) {
    handle
        .createUpdate(
            "insert into emails (order_id, recipient, subject) values (:id, :to, :subject)")
        .bind("id", order.orderId())
        .bind("to", order.email())
        .bind("subject", "Your order of " + order.items() + " article(s) is confirmed")
        .execute();
  }
}
