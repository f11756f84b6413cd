package dev.ferry.samples.demo;

import dev.ferry.BusBuilder;
import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.MessageContext;
import dev.ferry.OutboxOptions;
import dev.ferry.RoutingDescription;
import dev.ferry.SenderOptions;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.jms.JmsTransport;
import dev.ferry.samples.demo.DemoMessages.DurableNote;
import dev.ferry.samples.demo.DemoMessages.OrderPlaced;
import dev.ferry.samples.demo.DemoMessages.Ping;
import dev.ferry.samples.demo.DemoMessages.Pong;
import dev.ferry.samples.demo.DemoMessages.RemindCustomer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The demo's services, each a bus of its own with its own store over the shared database, as
 * separate processes would have. {@link #routing()} describes them without starting any: the
 * entities they need, which {@link ServiceBusEntities} checks on Service Bus.
 */
final class DemoServices implements AutoCloseable {
  static final String SCHEMA = "ferry_demo";

  /** The pinger's node id, fixed so that its reply queue has a name that can be created ahead. */
  static final String PINGER_NODE_ID = "demo-pinger";

  final Tally pings = new Tally("ping/pong");
  final Tally billing = new Tally("order -> billing");
  final Tally email = new Tally("order -> email");
  final Tally reminders = new Tally("scheduled reminder");
  final Tally notes = new Tally("durable send across a broker restart");

  private final Infrastructure infra;
  private final Map<String, MessageBus> buses = new LinkedHashMap<>();
  private final Map<String, JdbiEnvelopeStore> stores = new LinkedHashMap<>();

  private final DemoTelemetry telemetry;

  DemoServices(Infrastructure infra) {
    this(infra, null);
  }

  /** Services whose buses report their spans and metrics to {@code telemetry}. */
  DemoServices(Infrastructure infra, DemoTelemetry telemetry) {
    this.infra = infra;
    this.telemetry = telemetry;
  }

  /** The demo's services, in start order. */
  static final List<String> NAMES =
      List.of("ponger", "pinger", "orders", "billing", "email", "notes");

  /**
   * What a service is, whatever it runs on: its name, its handlers and the types it sends. The
   * routing conventions derive every queue, topic and subscription from these.
   */
  private BusBuilder definition(String name) {
    BusBuilder builder = MessageBus.builder().serviceName(name);
    return switch (name) {
      case "ponger" -> builder.handlers(new Ponger());
      // A fixed node id gives the pinger's reply queue a name that can be created ahead.
      case "pinger" -> builder.nodeId(PINGER_NODE_ID).messageTypes(Ping.class);
      case "orders" ->
          builder.messageTypes(OrderPlaced.class, RemindCustomer.class, DurableNote.class);
      case "billing" -> builder.handlers(new Billing());
      case "email" -> builder.handlers(new Email());
      case "notes" -> builder.handlers(new Notes());
      default -> throw new IllegalArgumentException("no demo service " + name);
    };
  }

  /** The routing of every demo service, without starting any. */
  static List<RoutingDescription> routing() {
    DemoServices definitions = new DemoServices(null);
    return NAMES.stream().map(n -> definitions.definition(n).describeRouting()).toList();
  }

  private BusBuilder service(String name) {
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder().dataSource(infra.dataSource()).schema(SCHEMA).build();
    stores.put(name, store);
    BusBuilder builder =
        definition(name)
            .config(infra.config())
            .store(store)
            .sender(SenderOptions.defaults().circuitBreakerProbeInterval(Duration.ofMillis(500)))
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(200)));
    if (telemetry != null) {
      builder.observer(telemetry.ferry.observer());
    }
    if (infra.serviceBus()) {
      // The transport comes from the configuration (ferry.transport=servicebus and its keys), as
      // in any service.
      return builder;
    }
    return builder.transport(
        JmsTransport.builder()
            .url(infra.brokerUrl())
            .reconnectMaxDelay(Duration.ofSeconds(1))
            .build());
  }

  private MessageBus start(String name, BusBuilder builder) {
    MessageBus bus = builder.build();
    buses.put(name, bus);
    return bus;
  }

  MessageBus bus(String name) {
    return buses.get(name);
  }

  Map<String, MessageBus> all() {
    return buses;
  }

  /** The store of a service, for business transactions that also send. */
  JdbiEnvelopeStore store(String service) {
    return stores.get(service);
  }

  void startAll() {
    NAMES.forEach(name -> start(name, service(name)));
  }

  /*
   * No handler names an endpoint: a command's handler listens on the queue named after its alias,
   * an event's handler on its service's subscription of the topic named after the alias.
   */

  /** Answers each ping. */
  public class Ponger {
    @Handles
    public void on(Ping ping, MessageContext ctx) {
      ctx.respond(new Pong(ping.n(), ping.sentAt()));
    }
  }

  /** Bills each order in the handler's own database transaction; one customer always fails. */
  public class Billing {
    @Handles
    public void on(OrderPlaced order, Handle db) {
      if (order.customer().equals("poison")) {
        throw new IllegalStateException("Customer 'poison' has no billing account");
      }
      db.execute(
          "insert into demo_invoices (order_id, total) values (?, ?)",
          order.orderId(),
          order.total());
      billing.received(order.orderId());
    }
  }

  /** Sends (pretend) emails for orders and reminders. */
  public class Email {
    @Handles
    public void on(OrderPlaced order) {
      email.received(order.orderId());
    }

    @Handles
    public void on(RemindCustomer reminder) {
      reminders.received(reminder.orderId());
    }
  }

  /** Receives the notes sent while the broker was down. */
  public class Notes {
    @Handles
    public void on(DurableNote note) {
      notes.received(note.n());
    }
  }

  @Override
  public void close() {
    List<MessageBus> reversed = new ArrayList<>(buses.values());
    java.util.Collections.reverse(reversed);
    reversed.forEach(MessageBus::close);
  }
}
