package dev.ferry.cdi;

import dev.ferry.BusBuilder;

/**
 * A bean implementing this adjusts the bus before it starts: routes, error policies, a store. Every
 * customizer bean of the application is applied, in no particular order.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class Routing implements FerryCustomizer {
 *   public void customize(BusBuilder bus) {
 *     bus.route(PlaceOrder.class, "queue:orders")
 *        .onError(ErrorPolicy.on(SQLTransientException.class).retry(5).thenDeadLetter());
 *   }
 * }
 * }</pre>
 */
public interface FerryCustomizer {
  void customize(BusBuilder bus);
}
