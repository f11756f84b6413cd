package dev.ferry.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.servicebus.testing.Operation;
import dev.ferry.servicebus.testing.ServiceBusTestDouble;
import dev.ferry.servicebus.testing.TopicSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/demo.md promises: every service on Azure Service Bus by configuration alone. The
 * unmodified SDK talks to the Service Bus test double, which holds only the entities the demo
 * lists, as a namespace provisioned from docs/demo.md would.
 */
class DemoOnServiceBusTest {
  private ServiceBusTestDouble serviceBus;

  @AfterEach
  void closeDouble() {
    if (serviceBus != null) {
      List<Operation> errors = serviceBus.operations("internal-error");
      serviceBus.close();
      assertThat(errors).as("the double's own failures").isEmpty();
    }
  }

  @Test
  void runsEveryFlowOnServiceBusNamedByConfiguration(@TempDir Path dir) throws Exception {
    serviceBus = namespaceWith(ServiceBusEntities.needed());
    // tag::servicebus-config[]
    FerryConfig config =
        FerryConfig.of(
            Map.of(
                "ferry.transport",
                "servicebus",
                "ferry.servicebus.connection-string",
                serviceBus.connectionString()));
    // end::servicebus-config[]

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<DemoApp.FlowResult> results;
    PrintStream out = System.out;
    System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
    try {
      results = DemoApp.run(config, dir, 5, 5, Duration.ofSeconds(60));
    } finally {
      System.setOut(out);
    }

    assertThat(results)
        .hasSize(5)
        .allSatisfy(
            r -> {
              assertThat(r.passed()).as(r.toString()).isTrue();
              assertThat(r.lost()).isZero();
              assertThat(r.duplicates()).isZero();
            });
    assertThat(results.get(0).handled()).as("pongs").isEqualTo(10);
    assertThat(results.get(1).note()).contains("dead-lettered: handler-failed", "poison");
    assertThat(results.get(2).handled()).as("email copies, the poison order's too").isEqualTo(6);
    assertThat(results.get(3).handled()).as("reminders fired").isEqualTo(6);
    assertThat(results.get(4).note()).isEqualTo("skipped: the broker is external");
    assertThat(dir.resolve("artemis")).doesNotExist();

    // Every message went over Service Bus, and no service asked for an entity off the list.
    assertThat(serviceBus.operations("refuse-attach")).isEmpty();
    assertThat(serviceBus.operations("deliver"))
        .extracting(o -> o.entity().toLowerCase(java.util.Locale.ROOT))
        .contains(
            "demo.ping.v1",
            "ferry.replies.demo-pinger",
            "demo.order-placed.v1/subscriptions/billing",
            "demo.order-placed.v1/subscriptions/email",
            "demo.remind-customer.v1");

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "Service Bus entities the demo needs",
            "topic demo.order-placed.v1 with subscription billing",
            "queue ferry.replies.demo-pinger",
            "Ferry demo on Azure Service Bus, namespace localhost:" + serviceBus.port(),
            "All flows passed.")
        .doesNotContain("SharedAccessKey", serviceBus.connectionString());
  }

  @Test
  void failsNamingTheEntitiesThatAreMissing(@TempDir Path dir) {
    List<Address> some = new ArrayList<>(ServiceBusEntities.needed());
    some.remove(Address.subscription("demo.order-placed.v1", "email"));
    some.remove(Address.queue("ferry.replies." + ServiceBusEntities.PINGER_NODE_ID));
    serviceBus = namespaceWith(some);
    FerryConfig config =
        FerryConfig.of(
            Map.of(
                "ferry.transport",
                "servicebus",
                "ferry.servicebus.connection-string",
                serviceBus.connectionString()));

    assertThatThrownBy(() -> DemoApp.run(config, dir, 1, 1, Duration.ofSeconds(10)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("2 Service Bus entities are missing on namespace localhost:")
        .hasMessageContaining("topic demo.order-placed.v1 with subscription email")
        .hasMessageContaining("queue ferry.replies.demo-pinger")
        .hasMessageNotContaining("SharedAccessKey");
    assertThat(serviceBus.operations("send")).as("nothing started").isEmpty();
  }

  /** A namespace holding exactly these queues, and topics with these subscriptions. */
  static ServiceBusTestDouble namespaceWith(List<Address> entities) {
    ServiceBusTestDouble.Builder namespace = ServiceBusTestDouble.builder();
    Map<String, TopicSettings> topics = new LinkedHashMap<>();
    for (Address a : entities) {
      if (a.kind() == Address.Kind.QUEUE) {
        namespace.queue(a.name());
      } else {
        topics.merge(
            a.name(),
            TopicSettings.defaults().withSubscription(a.subscription()),
            (known, added) -> known.withSubscription(a.subscription()));
      }
    }
    topics.forEach(namespace::topic);
    return namespace.start();
  }

  /** Writes to the console and keeps a copy, so that the test can read what the demo printed. */
  private static final class Tee extends OutputStream {
    private final OutputStream console;
    private final OutputStream copy;

    Tee(OutputStream console, OutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      console.write(b);
      copy.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      console.write(b, off, len);
      copy.write(b, off, len);
    }
  }
}
