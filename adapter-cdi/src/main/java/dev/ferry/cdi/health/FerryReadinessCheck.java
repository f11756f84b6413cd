package dev.ferry.cdi.health;

import dev.ferry.BusHealth;
import dev.ferry.MessageBus;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: the bus's {@link BusHealth#readiness()}: DOWN while its store does not
 * answer, a listener is detached or a circuit stays open, with the reasons as data. A bean only
 * where MicroProfile Health is present ({@link dev.ferry.cdi.FerryExtension} adds it).
 */
@Readiness
public class FerryReadinessCheck implements HealthCheck {
  @Inject MessageBus bus;

  @Override
  public HealthCheckResponse call() {
    return FerryHealthChecks.response(bus.serviceName(), BusHealth.of(bus).readiness());
  }
}
