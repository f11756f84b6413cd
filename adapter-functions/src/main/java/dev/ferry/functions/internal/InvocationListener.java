package dev.ferry.functions.internal;

import dev.ferry.Address;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.support.Settlements;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A listener that receives nothing itself: the Functions host hands each trigger's messages to
 * {@link #decide}. Pausing cannot hold the host back, so back pressure shows instead as a failing
 * send in the handler, which the error policy retries.
 */
public final class InvocationListener implements Listener {
  private final Address source;
  private final DeliveryHandler handler;
  private final Map<String, InvocationListener> registry;

  InvocationListener(
      Address source, DeliveryHandler handler, Map<String, InvocationListener> registry) {
    this.source = source;
    this.handler = handler;
    this.registry = registry;
  }

  @Override
  public Address source() {
    return source;
  }

  /**
   * Runs the pipeline: one decision per delivery. While the runtime's store does not answer, the
   * deliveries are held (the host renews their locks) for at most {@code maxHold}, or until {@code
   * keepHolding} turns false, and then decided again: a redelivery would cost each message one of
   * Service Bus' MaxDeliveryCount deliveries.
   */
  public List<Decision> decide(
      List<Delivery> deliveries, BooleanSupplier keepHolding, Duration maxHold) {
    return Settlements.decideHolding(handler, deliveries, keepHolding, maxHold);
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void close() {
    registry.remove(FunctionsTransport.key(source), this);
  }
}
