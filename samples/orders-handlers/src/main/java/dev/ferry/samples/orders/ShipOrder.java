package dev.ferry.samples.orders;

import dev.ferry.MessageType;
import java.util.UUID;

/**
 * The command: ship an invoiced order. Sent to the shipping queue, where the workers compete for
 * it.
 *
 * @param orderId the order
 * @param customer who receives the parcel
 * @param items articles in the parcel
 */
@MessageType("orders.ship-order.v1")
public record ShipOrder(UUID orderId, String customer, int items) {}
