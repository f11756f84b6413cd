package dev.ferry.cdi.health;

import dev.ferry.BusHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Turns a {@link BusHealth.Check} into a MicroProfile Health response named {@code ferry}, made
 * with the response's constructor (not a builder, which needs the server's provider).
 */
final class FerryHealthChecks {
  static final String NAME = "ferry";

  private FerryHealthChecks() {}

  static HealthCheckResponse response(String service, BusHealth.Check check) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("service", service);
    for (int i = 0; i < check.reasons().size(); i++) {
      data.put("reason." + (i + 1), check.reasons().get(i));
    }
    return new HealthCheckResponse(
        NAME,
        check.up() ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN,
        Optional.of(data));
  }
}
