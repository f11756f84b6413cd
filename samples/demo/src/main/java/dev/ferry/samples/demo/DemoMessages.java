package dev.ferry.samples.demo;

import dev.ferry.Event;
import dev.ferry.MessageType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The demo's messages. */
final class DemoMessages {
  private DemoMessages() {}

  @MessageType("demo.ping.v1")
  record Ping(int n, Instant sentAt) {}

  @MessageType("demo.pong.v1")
  record Pong(int n, Instant pingSentAt) {}

  @Event
  @MessageType("demo.order-placed.v1")
  record OrderPlaced(UUID orderId, int number, String customer, BigDecimal total) {}

  @MessageType("demo.remind-customer.v1")
  record RemindCustomer(UUID orderId, String customer) {}

  @MessageType("demo.durable-note.v1")
  record DurableNote(int n) {}
}
