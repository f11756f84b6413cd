package dev.ferry.opentelemetry.internal;

import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.ObserverFactory;
import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * {@code ferry.observers=opentelemetry}: {@link FerryTelemetry} through {@link GlobalOpenTelemetry}
 * (the Java agent's, or the SDK the application set there before building the bus), with the bus's
 * gauges registered once it runs.
 */
public final class OpenTelemetryObserverFactory implements ObserverFactory {
  @Override
  public String name() {
    return "opentelemetry";
  }

  @Override
  public MessageObserver create(FerryConfig config) {
    return FerryTelemetry.create(GlobalOpenTelemetry.get()).observer();
  }

  @Override
  public AutoCloseable started(MessageBus bus) {
    return FerryTelemetry.create(GlobalOpenTelemetry.get()).observe(bus);
  }
}
