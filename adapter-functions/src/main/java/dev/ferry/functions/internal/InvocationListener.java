package dev.ferry.functions.internal;

import dev.ferry.Address;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import java.util.List;
import java.util.Map;

/**
 * A listener that receives nothing itself: the Functions host hands each trigger's messages to
 * {@link #handle}. Pausing cannot hold the host back, so back pressure shows instead as a failing
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

  /** Runs the pipeline: one decision per delivery. */
  public List<Decision> handle(List<Delivery> deliveries) {
    return handler.handle(deliveries);
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
