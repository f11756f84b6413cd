package dev.ferry.samples.orders;

import dev.ferry.MessageBus;
import java.math.BigDecimal;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Places orders: the business transaction of the sample. The caller owns the transaction (a JTA
 * transaction in a WAR, {@code FerryJdbi.useTransaction} in SE); the order row, the stock
 * reservation and the {@link OrderPlaced} event commit together or not at all.
 */
public final class Orders {
  private Orders() {}

  /**
   * Writes the order, publishes {@link OrderPlaced} and reserves stock, in the caller's
   * transaction.
   *
   * <p>The event is published before the stock is reserved on purpose: when a reservation fails,
   * the exception rolls back the transaction, and with it the already published event, which the
   * outbox had only written to the database. Nothing leaves.
   *
   * @throws OutOfStockException when a tracked article has too little stock
   */
  public static OrderPlaced place(Handle handle, MessageBus bus, NewOrder order) {
    OrderRequests.check(order);
    BigDecimal total =
        order.lines().stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    OrderPlaced placed =
        new OrderPlaced(UUID.randomUUID(), order.customer(), order.email(), order.lines(), total);
    handle
        .createUpdate(
            "insert into orders (id, customer, email, total, items)"
                + " values (:id, :customer, :email, :total, :items)")
        .bind("id", placed.orderId())
        .bind("customer", placed.customer())
        .bind("email", placed.email())
        .bind("total", total)
        .bind("items", placed.items())
        .execute();
    bus.publish(placed);
    for (OrderLine line : order.lines()) {
      reserve(handle, line);
    }
    return placed;
  }

  /** Articles without a stock row are not tracked (always available). */
  private static void reserve(Handle handle, OrderLine line) {
    int updated =
        handle
            .createUpdate(
                "update stock set available = available - :qty"
                    + " where sku = :sku and available >= :qty")
            .bind("qty", line.quantity())
            .bind("sku", line.sku())
            .execute();
    if (updated == 0) {
      Integer available =
          handle
              .createQuery("select available from stock where sku = :sku")
              .bind("sku", line.sku())
              .mapTo(Integer.class)
              .findOne()
              .orElse(null);
      if (available != null) {
        throw new OutOfStockException(
            "Only "
                + available
                + " of "
                + line.sku()
                + " in stock, "
                + line.quantity()
                + " ordered");
      }
    }
  }

  /** Sets the stock of an article (tracking it from now on). */
  public static void setStock(Handle handle, String sku, int available) {
    handle
        .createUpdate(
            "insert into stock (sku, available) values (:sku, :available)"
                + " on conflict (sku) do update set available = excluded.available")
        .bind("sku", sku)
        .bind("available", available)
        .execute();
  }

  /** Opens or closes the carrier; while closed, shipping fails and retries. */
  public static void setCarrierAvailable(Handle handle, boolean available) {
    handle.execute("update carrier set available = ? where id = 1", available);
  }
}
