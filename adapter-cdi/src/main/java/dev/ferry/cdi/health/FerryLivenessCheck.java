package dev.ferry.cdi.health;

import dev.ferry.BusHealth;
import dev.ferry.MessageBus;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /health/live}: the bus's {@link BusHealth#liveness()}: DOWN once the bus is closed. A bean
 * only where MicroProfile Health is present ({@link dev.ferry.cdi.FerryExtension} adds it).
 */
@Liveness
public class FerryLivenessCheck implements HealthCheck {
  @Inject MessageBus bus;

  @Override
  public HealthCheckResponse call() {
    return FerryHealthChecks.response(bus.serviceName(), BusHealth.of(bus).liveness());
  }
}
