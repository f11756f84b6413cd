package dev.ferry.samples.orders;

import dev.ferry.Event;
import dev.ferry.MessageType;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * The event: an order was accepted. Published to the topic named after its alias; every service
 * that handles it gets its own copy on a subscription named after the service.
 *
 * @param orderId the order
 * @param customer who ordered
 * @param email where the confirmation goes
 * @param lines what was ordered
 * @param total the sum of the lines
 */
@Event
@MessageType("orders.order-placed.v1")
public record OrderPlaced(
    UUID orderId, String customer, String email, List<OrderLine> lines, BigDecimal total) {

  /** Articles in the order. */
  public int items() {
    return lines.stream().mapToInt(OrderLine::quantity).sum();
  }
}
