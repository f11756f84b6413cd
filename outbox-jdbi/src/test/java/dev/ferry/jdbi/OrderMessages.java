package dev.ferry.jdbi;

import dev.ferry.MessageType;

/** Message types of the outbox tests. */
final class OrderMessages {
  private OrderMessages() {}

  @MessageType("ferry.test.order-placed.v1")
  record OrderPlaced(String id) {}
}
