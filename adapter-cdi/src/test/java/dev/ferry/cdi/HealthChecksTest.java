package dev.ferry.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** With MicroProfile Health present, the extension adds Ferry's checks as beans (Weld). */
class HealthChecksTest {

  @ApplicationScoped
  public static class Local implements FerryCustomizer {
    @Override
    public void customize(BusBuilder bus) {
      bus.serviceName("health-app").localBroker(UUID.randomUUID().toString());
    }
  }

  @Test
  void readinessAndLivenessAreBeansThatAnswerFromTheBus() {
    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new FerryExtension())
            .addBeanClasses(FerryBusProducer.class, Local.class);
    try (WeldContainer container = weld.initialize()) {
      HealthCheck ready = container.select(HealthCheck.class, Readiness.Literal.INSTANCE).get();
      HealthCheck live = container.select(HealthCheck.class, Liveness.Literal.INSTANCE).get();
      HealthCheckResponse up = ready.call();
      assertThat(up.getName()).isEqualTo("ferry");
      assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
      assertThat(up.getData())
          .hasValueSatisfying(d -> assertThat(d).containsEntry("service", "health-app"));
      assertThat(live.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

      container.select(MessageBus.class).get().close();
      HealthCheckResponse down = live.call();
      assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
      assertThat(down.getData())
          .hasValueSatisfying(
              d -> assertThat(d).containsEntry("reason.1", "bus 'health-app' is closed"));
      assertThat(ready.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
  }
}
