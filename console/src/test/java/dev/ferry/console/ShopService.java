package dev.ferry.console;

import static org.awaitility.Awaitility.await;

import dev.ferry.BusBuilder;
import dev.ferry.DeliveryOptions;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A running service with dead letters, for the console's tests: ship orders with a quantity the
 * warehouse rejects fail, and card charges always fail, each dead-lettered at once. A replayed
 * order with a valid quantity is handled.
 */
final class ShopService implements AutoCloseable {

  @MessageType("shop.ship-order.v1")
  record ShipOrder(String orderId, int quantity) {}

  @MessageType("shop.charge-card.v1")
  record ChargeCard(String orderId, long cents) {}

  static final String SHIP_TYPE = "shop.ship-order.v1";
  static final String CHARGE_TYPE = "shop.charge-card.v1";

  /** Ids of orders shipped. */
  final Set<String> shipped = ConcurrentHashMap.newKeySet();

  final MessageBus bus;

  ShopService(UnaryOperator<BusBuilder> configure) {
    this.bus =
        configure
            .apply(
                MessageBus.builder()
                    .serviceName("shop")
                    .localBroker("shop-" + UUID.randomUUID())
                    .onError(
                        ErrorPolicy.on(IllegalStateException.class, IllegalArgumentException.class)
                            .thenDeadLetter())
                    .handle(
                        ShipOrder.class,
                        (m, ctx) -> {
                          if (m.quantity() <= 0) {
                            throw new IllegalStateException(
                                "warehouse rejected quantity " + m.quantity());
                          }
                          shipped.add(m.orderId());
                          return null;
                        })
                    .handle(
                        ChargeCard.class,
                        (m, ctx) -> {
                          throw new IllegalArgumentException("card declined for " + m.orderId());
                        }))
            .build();
  }

  ShopService() {
    this(b -> b);
  }

  /** Sends three bad orders (one with a script in its id and a secret header) and two charges. */
  ShopService withDeadLetters() {
    bus.send(new ShipOrder("o-1", 0));
    bus.send(new ShipOrder("o-2", -1));
    bus.send(
        new ShipOrder("<script>window.pwned=1</script>", 0),
        DeliveryOptions.builder()
            .header("x-note", "<img src=x onerror=window.pwned=2>")
            .header("api-key", "s3cr3t-header-value")
            .build());
    bus.send(new ChargeCard("o-1", 1999));
    bus.send(new ChargeCard("o-2", 500));
    awaitDeadLetters(5);
    return this;
  }

  void awaitDeadLetters(long n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == n);
  }

  @Override
  public void close() {
    bus.close();
  }
}
