package dev.ferry.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.BusBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/**
 * The bus starts with the application, after the application's own observers of the same event
 * (which may create the tables its handlers need).
 */
class StartOrderTest {
  static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  @ApplicationScoped
  public static class Schema {
    void create(@Observes @Initialized(ApplicationScoped.class) Object event) {
      EVENTS.add("application observer");
    }
  }

  @ApplicationScoped
  public static class Recorder implements FerryCustomizer {
    @Override
    public void customize(BusBuilder bus) {
      EVENTS.add("bus built");
      bus.serviceName("start-order").localBroker(UUID.randomUUID().toString());
    }
  }

  @SuppressWarnings("try") // what is tested is what starting the container does
  @Test
  void theBusStartsWithTheApplicationAfterItsObservers() {
    EVENTS.clear();
    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new FerryExtension())
            .addBeanClasses(FerryBusProducer.class, Schema.class, Recorder.class);
    try (WeldContainer container = weld.initialize()) {
      // Nobody asked for the bus: the container's start built it.
      assertThat(EVENTS).containsExactly("application observer", "bus built");
    }
  }
}
