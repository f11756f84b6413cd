package dev.ferry.samples.orders.war;

import dev.ferry.MessageBus;
import dev.ferry.samples.orders.NewOrder;
import dev.ferry.samples.orders.OrderPlaced;
import dev.ferry.samples.orders.Orders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Jdbi;

/** The business transaction: a JTA transaction around the order row, stock and the event. */
@ApplicationScoped
public class OrderService {
  @Inject Jdbi jdbi;
  @Inject MessageBus bus;

  /**
   * Places the order in a JTA transaction. The event is written to Ferry's outbox through a
   * connection enlisted in the same transaction, and leaves only after the container commits; any
   * exception rolls back the order and the event together.
   */
  // tag::place[]
  @Transactional
  public OrderPlaced place(NewOrder order) {
    return jdbi.inTransaction(handle -> Orders.place(handle, bus, order)); // insert + publish
  }
  // end::place[]
}
