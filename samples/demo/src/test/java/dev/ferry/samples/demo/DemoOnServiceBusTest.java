package dev.ferry.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.FerryConfig;
import dev.ferry.testkit.servicebus.Operation;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/demo.md promises: every service on Azure Service Bus by configuration alone. The
 * unmodified SDK talks to the Service Bus test double, which holds exactly the entities that the
 * demo's routing description prints as Azure CLI commands, as a namespace provisioned by running
 * them would.
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
  void runsEveryFlowOnExactlyTheEntitiesItsRoutingPrints(@TempDir Path dir) throws Exception {
    // What an operator runs to provision a namespace, read back and created in the double.
    String cli = printedBy(() -> DemoApp.main(new String[] {"--entities=servicebus"}));
    AzureCli namespace = AzureCli.parse(cli);
    assertThat(namespace.queues())
        .containsExactlyInAnyOrder(
            "demo.ping.v1",
            "demo.remind-customer.v1",
            "demo.durable-note.v1",
            "ferry.replies." + ServiceBusEntities.PINGER_NODE_ID);
    assertThat(namespace.topics()).containsExactly("demo.order-placed.v1");
    assertThat(namespace.subscriptions())
        .containsExactlyInAnyOrder(
            "demo.order-placed.v1/subscriptions/billing",
            "demo.order-placed.v1/subscriptions/email");
    assertThat(namespace.rules())
        .as("each subscription: the default rule replaced by the Ferry target filter")
        .containsEntry(
            "demo.order-placed.v1/subscriptions/billing",
            "ferry: cloudEvents_ferrytarget IS NULL OR cloudEvents_ferrytarget = 'billing'")
        .containsEntry(
            "demo.order-placed.v1/subscriptions/email",
            "ferry: cloudEvents_ferrytarget IS NULL OR cloudEvents_ferrytarget = 'email'");
    serviceBus = namespace.createIn(ServiceBusTestDouble.builder()).start();

    // tag::servicebus-config[]
    FerryConfig config =
        FerryConfig.of(
            Map.of(
                "ferry.transport",
                "servicebus",
                "ferry.servicebus.connection-string",
                serviceBus.connectionString()));
    // end::servicebus-config[]

    AtomicReference<List<DemoApp.FlowResult>> flows = new AtomicReference<>();
    String text =
        printedBy(() -> flows.set(DemoApp.run(config, dir, 5, 5, Duration.ofSeconds(60))));
    List<DemoApp.FlowResult> results = flows.get();

    DemoAppTest.assertEveryFlowPassed(results);
    assertThat(results.get(0).handled()).as("pongs").isEqualTo(10);
    assertThat(results.get(1).note()).contains("dead-lettered: handler-failed", "poison");
    assertThat(results.get(2).handled()).as("email copies, the poison order's too").isEqualTo(6);
    assertThat(results.get(3).handled()).as("reminders fired").isEqualTo(6);
    assertThat(results.get(4).note()).isEqualTo("skipped: the broker is external");
    assertThat(dir.resolve("artemis")).doesNotExist();

    // Nothing missing: no service asked for an entity off the printed list.
    assertThat(serviceBus.operations("refuse-attach")).isEmpty();
    // Nothing extra: every printed queue and subscription is listened on, every topic sent to.
    List<String> received = entities("attach-receiver");
    List<String> listenedOn = new ArrayList<>(namespace.queues());
    listenedOn.addAll(namespace.subscriptions());
    assertThat(received).containsAll(listenedOn);
    assertThat(entities("send")).containsAll(namespace.topics());

    assertThat(text)
        .contains(
            "Service Bus entities the demo needs",
            "topic demo.order-placed.v1 with subscription billing",
            "queue ferry.replies.demo-pinger",
            "Ferry demo on Azure Service Bus, namespace localhost:" + serviceBus.port(),
            "All flows passed.")
        .doesNotContain("SharedAccessKey", serviceBus.connectionString());
  }

  private List<String> entities(String operation) {
    return serviceBus.operations(operation).stream()
        .map(o -> o.entity().toLowerCase(Locale.ROOT))
        .distinct()
        .toList();
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
      } else if (a.kind() == Address.Kind.TOPIC) {
        topics.putIfAbsent(a.name(), TopicSettings.defaults());
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

  /** Something that prints. */
  @FunctionalInterface
  interface Printing {
    void run() throws Exception;
  }

  /** Runs {@code work}, echoing what it prints to the console, and returns the printed text. */
  static String printedBy(Printing work) throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    System.setOut(new PrintStream(new Tee(out, printed), true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setOut(out);
    }
    return printed.toString(StandardCharsets.UTF_8);
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
