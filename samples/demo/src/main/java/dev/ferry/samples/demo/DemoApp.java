package dev.ferry.samples.demo;

import dev.ferry.BusMetrics;
import dev.ferry.ConfigurationException;
import dev.ferry.DeadLetter;
import dev.ferry.MessageBus;
import dev.ferry.RoutingDescription;
import dev.ferry.config.FerryConfig;
import dev.ferry.console.ConsoleServer;
import dev.ferry.console.FerryConsole;
import dev.ferry.jdbi.FerryJdbi;
import dev.ferry.samples.demo.DemoMessages.DurableNote;
import dev.ferry.samples.demo.DemoMessages.OrderPlaced;
import dev.ferry.samples.demo.DemoMessages.Ping;
import dev.ferry.samples.demo.DemoMessages.Pong;
import dev.ferry.samples.demo.DemoMessages.RemindCustomer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The main demo. On embedded Artemis and embedded PostgreSQL (or external ones named by {@code
 * ferry.jms.url} and {@code ferry.store.jdbc-url}, or Azure Service Bus with {@code
 * ferry.transport=servicebus}) it runs, one after the other:
 *
 * <ol>
 *   <li>ping/pong between two services (request/reply);
 *   <li>the order flow: each order is written and its {@code OrderPlaced} published in one database
 *       transaction; billing and email each get a copy; a poison order ends as a dead letter with
 *       its reason; a reminder scheduled with each order fires later;
 *   <li>a durable send across a broker restart: messages sent while the broker is down wait in the
 *       outbox and all arrive once it is back.
 * </ol>
 *
 * <p>A live view prints counts and rates every second; the final report lists, per flow, what was
 * sent, handled, duplicated and lost. Arguments: {@code --orders=N} (default 100), {@code
 * --notes=N} (default 200), {@code --timeout=60s}; {@code --entities=servicebus} (or {@code jms})
 * prints the entities the services need as Azure CLI commands (or Artemis broker.xml settings) and
 * exits.
 */
public final class DemoApp {
  private DemoApp() {}

  /** One flow's outcome. */
  record FlowResult(
      String flow, int expected, int sent, int handled, int duplicates, int lost, String note) {
    boolean passed() {
      return lost == 0 && duplicates == 0 && handled == expected;
    }
  }

  public static void main(String[] args) throws Exception {
    int orders = 100;
    int notes = 200;
    Duration timeout = Duration.ofSeconds(60);
    Duration linger = Duration.ZERO;
    for (String a : args) {
      if (a.startsWith("--orders=")) {
        orders = Integer.parseInt(a.substring(9));
      } else if (a.startsWith("--notes=")) {
        notes = Integer.parseInt(a.substring(8));
      } else if (a.startsWith("--timeout=")) {
        timeout = dev.ferry.config.ConfigKey.Type.DURATION.parser().apply(a.substring(10));
      } else if (a.startsWith("--entities=")) {
        System.out.print(entities(a.substring("--entities=".length())));
        return;
      } else if (a.startsWith("--console-linger=")) {
        linger = dev.ferry.config.ConfigKey.Type.DURATION.parser().apply(a.substring(17));
      } else {
        System.err.println(
            "Unknown argument "
                + a
                + " (use --orders=N --notes=N --timeout=60s --console-linger=5m,"
                + " or --entities=servicebus|jms)");
        System.exit(2);
      }
    }
    List<FlowResult> results;
    try {
      results =
          run(
              FerryConfig.fromEnvironment(),
              Path.of("target", "demo"),
              orders,
              notes,
              timeout,
              linger);
    } catch (ConfigurationException e) {
      // Set-up problems (a missing Service Bus entity, say) need their message, not a trace.
      System.err.println("\nThe demo cannot run: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean ok = results.stream().allMatch(FlowResult::passed);
    System.exit(ok ? 0 : 1);
  }

  /**
   * What the demo's services need on {@code transport}, in its own terms: Azure CLI commands for
   * {@code servicebus}, broker.xml addresses and address settings for {@code jms}.
   */
  static String entities(String transport) {
    // tag::provisioning[]
    List<RoutingDescription> services = DemoServices.routing();
    return RoutingDescription.provisioning(transport, RoutingDescription.union(services));
    // end::provisioning[]
  }

  static List<FlowResult> run(
      FerryConfig config, Path workDir, int orders, int notes, Duration timeout) throws Exception {
    return run(config, workDir, orders, notes, timeout, Duration.ZERO);
  }

  /** Runs the flows; the operations console stays up {@code linger} longer to look around. */
  static List<FlowResult> run(
      FerryConfig config, Path workDir, int orders, int notes, Duration timeout, Duration linger)
      throws Exception {
    long t0 = System.nanoTime();
    List<FlowResult> results = new ArrayList<>();
    try (DemoTelemetry telemetry = new DemoTelemetry();
        Infrastructure infra = new Infrastructure(config).start(workDir)) {
      Jdbi jdbi = Jdbi.create(infra.dataSource());
      jdbi.useHandle(
          h -> {
            h.execute(
                "create table if not exists demo_orders (id uuid primary key, customer text,"
                    + " total numeric)");
            h.execute(
                "create table if not exists demo_invoices (order_id uuid primary key,"
                    + " total numeric)");
          });
      try (DemoServices services = new DemoServices(infra, telemetry);
          ConsoleServer console = startConsole(services)) {
        System.out.printf(
            Locale.ROOT,
            "Ferry demo on %s: %d services up in %d ms%n%n",
            infra.describe(),
            services.all().size(),
            (System.nanoTime() - t0) / 1_000_000);
        ScheduledExecutorService view =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "live-view");
                  t.setDaemon(true);
                  return t;
                });
        LiveView live = new LiveView(services);
        view.scheduleAtFixedRate(live::print, 1, 1, TimeUnit.SECONDS);
        try {
          results.add(pingPong(services, timeout));
          results.addAll(orderFlow(services, telemetry, orders, timeout));
          results.add(durableAcrossRestart(infra, services, notes, timeout));
        } finally {
          view.shutdownNow();
        }
        live.print();
        report(results, services);
        printTrace(telemetry);
        if (!linger.isZero()) {
          System.out.printf("%nThe console stays up for %s: %s%n", linger, console.operatorUrl());
          Thread.sleep(linger.toMillis());
        }
      }
    }
    return results;
  }

  /**
   * Starts the services and the operations console over billing's dead letters (where the poison
   * order lands), with its audit trail in billing's schema, and prints the console's sign-in link.
   */
  private static ConsoleServer startConsole(DemoServices services) {
    services.startAll();
    // tag::console[]
    ConsoleServer console =
        FerryConsole.builder(services.bus("billing")) // the bus whose dead letters it shows
            .auditStore(services.store("billing")) // audit table in the store's schema
            .build()
            .serve(); // 127.0.0.1, a free port, a random token
    System.out.println("Operations console (billing): " + console.operatorUrl());
    // end::console[]
    return console;
  }

  private static FlowResult pingPong(DemoServices s, Duration timeout) throws Exception {
    System.out.println("== ping/pong: 10 requests from pinger, answered by ponger");
    MessageBus pinger = s.bus("pinger");
    long slowest = 0;
    for (int i = 1; i <= 10; i++) {
      s.pings.sent();
      Pong pong =
          pinger
              .request(new Ping(i, Instant.now()), Pong.class, timeout)
              .toCompletableFuture()
              .get();
      s.pings.received(pong.n());
      slowest = Math.max(slowest, Duration.between(pong.pingSentAt(), Instant.now()).toMillis());
    }
    return new FlowResult(
        s.pings.flow,
        10,
        10,
        s.pings.handled(),
        s.pings.duplicates(),
        s.pings.lost(10),
        "slowest round trip " + slowest + " ms");
  }

  /** The trace of the first order, as a waterfall; where the spans went besides. */
  private static void printTrace(DemoTelemetry telemetry) {
    List<SpanData> spans = telemetry.recorder.spans();
    String trace =
        spans.stream()
            .filter(s -> s.getName().equals(PLACE_ORDER))
            .min(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos))
            .map(SpanData::getTraceId)
            .orElse(null);
    System.out.println();
    System.out.println(
        "One order's trace (the web request, its transaction, the outbox, the broker, each"
            + " handler):");
    System.out.print(
        TraceWaterfall.render(spans.stream().filter(s -> s.getTraceId().equals(trace)).toList()));
    System.out.println(
        telemetry.exporting
            ? "Spans and metrics were exported as the OTEL_* settings say."
            : "Set OTEL_EXPORTER_OTLP_ENDPOINT to export spans and metrics to a collector.");
  }

  /** The name of the span that stands for the web request placing an order. */
  static final String PLACE_ORDER = "POST /orders";

  @SuppressWarnings("try") // the request span is current while the order is placed, never called
  private static List<FlowResult> orderFlow(
      DemoServices s, DemoTelemetry telemetry, int orders, Duration timeout) throws Exception {
    Tracer tracer = telemetry.openTelemetry().getTracer("ferry-demo");
    System.out.printf(
        "== order flow: %d orders and 1 poison order, each published with its"
            + " insert in one transaction, with a reminder scheduled 3 s later%n",
        orders);
    MessageBus bus = s.bus("orders");
    for (int i = 0; i <= orders; i++) {
      String customer = i == orders ? "poison" : "customer-" + (i % 7);
      OrderPlaced order =
          new OrderPlaced(UUID.randomUUID(), i, customer, BigDecimal.valueOf(10 + i % 90));
      Span request = tracer.spanBuilder(PLACE_ORDER).setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope ignored = request.makeCurrent()) {
        // tag::order-transaction[]
        FerryJdbi.useTransaction(
            s.store("orders"),
            db -> {
              db.execute(
                  "insert into demo_orders (id, customer, total) values (?, ?, ?)",
                  order.orderId(),
                  order.customer(),
                  order.total());
              bus.publish(order); // stored in this transaction, sent after commit
              bus.schedule(
                  new RemindCustomer(order.orderId(), order.customer()), Duration.ofSeconds(3));
            });
        // end::order-transaction[]
      } finally {
        request.end();
      }
      s.billing.sent();
      s.email.sent();
      s.reminders.sent();
    }
    MessageBus billing = s.bus("billing");
    waitFor(
        timeout,
        () ->
            s.billing.handled() >= orders
                && billing.deadLetters().count() >= 1
                && s.email.handled() >= orders + 1
                && s.reminders.handled() >= orders + 1);
    List<DeadLetter> dead = billing.deadLetters().list(10);
    String deadNote =
        dead.isEmpty()
            ? "no dead letter!"
            : "poison order dead-lettered: "
                + dead.get(0).reason()
                + ", "
                + dead.get(0).exceptionMessage()
                + " after "
                + dead.get(0).attempts()
                + " attempts";
    return List.of(
        new FlowResult(
            s.billing.flow,
            orders,
            orders + 1,
            s.billing.handled(),
            s.billing.duplicates(),
            s.billing.lost(orders),
            deadNote),
        new FlowResult(
            s.email.flow,
            orders + 1,
            orders + 1,
            s.email.handled(),
            s.email.duplicates(),
            s.email.lost(orders + 1),
            "its own copy of every order"),
        new FlowResult(
            s.reminders.flow,
            orders + 1,
            orders + 1,
            s.reminders.handled(),
            s.reminders.duplicates(),
            s.reminders.lost(orders + 1),
            "fired 3 s after each order"));
  }

  private static FlowResult durableAcrossRestart(
      Infrastructure infra, DemoServices s, int notes, Duration timeout) throws Exception {
    if (!infra.brokerEmbedded()) {
      return new FlowResult(s.notes.flow, 0, 0, 0, 0, 0, "skipped: the broker is external");
    }
    System.out.printf(
        "== durable send: broker stopped, %d messages sent into the outbox,"
            + " broker restarted%n",
        notes);
    infra.stopBroker();
    MessageBus bus = s.bus("orders");
    for (int i = 0; i < notes; i++) {
      int n = i;
      FerryJdbi.useTransaction(s.store("orders"), db -> bus.send(new DurableNote(n)));
      s.notes.sent();
    }
    long waiting = s.store("orders").outgoingCount();
    Thread.sleep(1500);
    System.out.printf("   %d message(s) waiting in the outbox; restarting the broker%n", waiting);
    infra.startBroker();
    waitFor(timeout, () -> s.notes.handled() >= notes);
    return new FlowResult(
        s.notes.flow,
        notes,
        notes,
        s.notes.handled(),
        s.notes.duplicates(),
        s.notes.lost(notes),
        waiting + " waited in the outbox while the broker was down");
  }

  private static void waitFor(Duration timeout, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void report(List<FlowResult> results, DemoServices services) {
    System.out.println();
    System.out.println("Final report");
    System.out.printf(
        Locale.ROOT,
        "%-38s %8s %8s %8s %10s %6s  %s%n",
        "flow",
        "expected",
        "sent",
        "handled",
        "duplicates",
        "lost",
        "");
    for (FlowResult r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-38s %8d %8d %8d %10d %6d  %s — %s%n",
          r.flow(),
          r.expected(),
          r.sent(),
          r.handled(),
          r.duplicates(),
          r.lost(),
          r.passed() ? "OK" : "FAILED",
          r.note());
    }
    System.out.println();
    for (Map.Entry<String, MessageBus> e : services.all().entrySet()) {
      BusMetrics m = e.getValue().metrics();
      System.out.printf(
          Locale.ROOT,
          "  %-8s sent %5d  delivered %5d  handled %5d  failures %3d"
              + "  dead letters %2d  duplicates skipped %2d%n",
          e.getKey(),
          m.sent(),
          m.delivered(),
          m.handled(),
          m.failures(),
          m.deadLettered(),
          m.duplicates());
    }
    boolean ok = results.stream().allMatch(FlowResult::passed);
    System.out.println(ok ? "\nAll flows passed." : "\nSome flows FAILED.");
  }
}
