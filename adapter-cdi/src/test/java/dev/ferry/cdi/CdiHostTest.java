package dev.ferry.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.BusBuilder;
import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.build.FerryArchitectureRules;
import dev.ferry.testkit.conformance.TestMessages.Ping;
import dev.ferry.testkit.conformance.TestMessages.Pong;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** The CDI host in a real CDI container (Weld); the WildFly tests cover the full server. */
class CdiHostTest {
  static final String BROKER = UUID.randomUUID().toString();

  @ApplicationScoped
  public static class Ledger {
    private final List<Integer> pings = new CopyOnWriteArrayList<>();

    // Methods, not fields: callers hold a client proxy.
    public void add(int n) {
      pings.add(n);
    }

    public List<Integer> pings() {
      return pings;
    }
  }

  /** A handler bean with an injected dependency. */
  @Dependent
  public static class PingHandler {
    @Inject Ledger ledger;

    @Handles
    public Pong on(Ping ping) {
      ledger.add(ping.n());
      return new Pong(ping.n());
    }
  }

  @ApplicationScoped
  public static class LocalBroker implements FerryCustomizer {
    @Override
    public void customize(BusBuilder bus) {
      bus.serviceName("cdi-app").localBroker(BROKER);
    }
  }

  @Test
  void handlerBeansAreFoundInjectedAndStartedWithTheContainer() throws Exception {
    Weld weld =
        new Weld()
            .disableDiscovery()
            .addExtension(new FerryExtension())
            .addBeanClasses(
                FerryBusProducer.class, PingHandler.class, Ledger.class, LocalBroker.class);
    try (WeldContainer container = weld.initialize()) {
      MessageBus bus = container.select(MessageBus.class).get();
      assertThat(bus.serviceName()).isEqualTo("cdi-app");
      assertThat(bus.invoke(new Ping(3), Pong.class)).isEqualTo(new Pong(3));
      bus.send(new Ping(4));
      Ledger ledger = container.select(Ledger.class).get();
      await().atMost(Duration.ofSeconds(5)).until(() -> ledger.pings().contains(4));
      assertThat(container.select(FerryExtension.class).get().handlerClasses())
          .containsExactly(PingHandler.class);
    }
    // The container's shutdown closed the bus: its listener no longer takes messages.
    try (MessageBus other =
        MessageBus.builder()
            .serviceName("other")
            .localBroker(BROKER)
            .messageTypes(Ping.class)
            .build()) {
      other.send(new Ping(5));
      dev.ferry.Address queue = dev.ferry.Address.queue("ferry.test.ping.v1");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> dev.ferry.internal.local.LocalTransport.depth(BROKER, queue) == 1);
      Thread.sleep(300);
      assertThat(dev.ferry.internal.local.LocalTransport.depth(BROKER, queue)).isEqualTo(1);
    }
  }

  @Test
  void usesNoRuntimeInternals() {
    FerryArchitectureRules.adapterUsesNoRuntimeInternals()
        .check(FerryArchitectureRules.mainClassesOf(FerryExtension.class));
  }
}
