package dev.ferry.benchmarks;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.MessageType;
import dev.ferry.spi.OutgoingEnvelope;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;

/** The store benchmark's business data: an order row, and the message that says it was placed. */
final class StoreOrders {
  private StoreOrders() {}

  /** The message of the business transactions. */
  @MessageType("bench.store.order-placed.v1")
  public record OrderPlaced(UUID orderId, String customer, BigDecimal total) {}

  static OrderPlaced insertOrder(Handle h, String orders) {
    OrderPlaced o =
        new OrderPlaced(
            UUID.randomUUID(),
            "customer-" + ThreadLocalRandom.current().nextInt(1000),
            BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(100000), 2));
    h.execute(
        "INSERT INTO " + orders + " (id, customer, total) VALUES (?, ?, ?)",
        o.orderId(),
        o.customer(),
        o.total());
    return o;
  }

  static String json(OrderPlaced o) {
    return "{\"orderId\":\""
        + o.orderId()
        + "\",\"customer\":\""
        + o.customer()
        + "\",\"total\":"
        + o.total()
        + "}";
  }

  static List<OutgoingEnvelope> envelopes(int n) {
    Address destination = Address.parse("noop:queue:orders");
    List<OutgoingEnvelope> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      OrderPlaced o =
          new OrderPlaced(UUID.randomUUID(), "customer-" + (i % 1000), BigDecimal.valueOf(i, 2));
      Envelope e =
          Envelope.builder()
              .id(UUID.randomUUID().toString())
              .messageType("bench.store.order-placed.v1")
              .contentType("application/json")
              .source("bench")
              .sentAt(Instant.now())
              .body(json(o).getBytes(StandardCharsets.UTF_8))
              .build();
      list.add(new OutgoingEnvelope(e, destination, null));
    }
    return list;
  }
}
