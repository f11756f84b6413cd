package dev.ferry.samples.demo;

import dev.ferry.BusBuilder;
import dev.ferry.Handles;
import dev.ferry.MessageBus;
import dev.ferry.MessageContext;
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
 * separate processes would have. On Service Bus they use the entities in {@link
 * ServiceBusEntities}, which follows the handlers registered here.
 */
final class DemoServices implements AutoCloseable {
  static final String SCHEMA = "ferry_demo";

  final Tally pings = new Tally("ping/pong");
  final Tally billing = new Tally("order -> billing");
  final Tally email = new Tally("order -> email");
  final Tally reminders = new Tally("scheduled reminder");
  final Tally notes = new Tally("durable send across a broker restart");

  private final Infrastructure infra;
  private final Map<String, MessageBus> buses = new LinkedHashMap<>();
  private final Map<String, JdbiEnvelopeStore> stores = new LinkedHashMap<>();

  DemoServices(Infrastructure infra) {
    this.infra = infra;
  }

  private BusBuilder service(String name) {
    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder().dataSource(infra.dataSource()).schema(SCHEMA).build();
    stores.put(name, store);
    BusBuilder builder =
        MessageBus.builder()
            .config(infra.config())
            .serviceName(name)
            .store(store)
            .circuitBreakerProbeInterval(Duration.ofMillis(500))
            .outboxPollInterval(Duration.ofMillis(200))
            .messageTypes(
                Ping.class, Pong.class, OrderPlaced.class, RemindCustomer.class, DurableNote.class);
    if (infra.serviceBus()) {
      // The transport comes from the configuration (ferry.transport=servicebus and its keys), as
      // in any service. Only the reply queue is named here: it must exist before replies arrive.
      if (name.equals("pinger")) {
        builder.nodeId(ServiceBusEntities.PINGER_NODE_ID);
      }
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
    start("ponger", service("ponger").handlers(new Ponger()));
    start("pinger", service("pinger"));
    start("orders", service("orders"));
    start("billing", service("billing").handlers(new Billing()));
    start("email", service("email").handlers(new Email()));
    start("notes", service("notes").handlers(new Notes()));
  }

  /*
   * Each handler names the one endpoint its messages arrive on: the queue a type is sent to, or the
   * service's subscription on the topic it is published to. The routing convention would listen on
   * both, but on Service Bus a queue and a topic cannot share a name, so one of the two could never
   * exist there. ServiceBusEntities reads the list of entities from these annotations.
   */

  /** Answers each ping. */
  public class Ponger {
    @Handles(endpoint = "queue:demo.ping.v1")
    public void on(Ping ping, MessageContext ctx) {
      ctx.respond(new Pong(ping.n(), ping.sentAt()));
    }
  }

  /** Bills each order in the handler's own database transaction; one customer always fails. */
  public class Billing {
    @Handles(endpoint = "topic:demo.order-placed.v1/subscriptions/billing")
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
    @Handles(endpoint = "topic:demo.order-placed.v1/subscriptions/email")
    public void on(OrderPlaced order) {
      email.received(order.orderId());
    }

    @Handles(endpoint = "queue:demo.remind-customer.v1")
    public void on(RemindCustomer reminder) {
      reminders.received(reminder.orderId());
    }
  }

  /** Receives the notes sent while the broker was down. */
  public class Notes {
    @Handles(endpoint = "queue:demo.durable-note.v1")
    public void on(DurableNote note) {
      notes.received(note.n());
    }
  }

  /** The classes of the handlers above, for the list of entities they listen on. */
  static List<Class<?>> handlerClasses() {
    return List.of(Ponger.class, Billing.class, Email.class, Notes.class);
  }

  @Override
  public void close() {
    List<MessageBus> reversed = new ArrayList<>(buses.values());
    java.util.Collections.reverse(reversed);
    reversed.forEach(MessageBus::close);
  }
}
