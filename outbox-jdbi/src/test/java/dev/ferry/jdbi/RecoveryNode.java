package dev.ferry.jdbi;

import dev.ferry.Address;
import dev.ferry.BusBuilder;
import dev.ferry.Envelope;
import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.MessageContext;
import dev.ferry.MessageType;
import dev.ferry.OutboxOptions;
import dev.ferry.SenderOptions;
import dev.ferry.jms.JmsTransport;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.Transport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;

/**
 * The node {@link NodeRecoveryTest} kills: run in a JVM of its own, it gets work in flight on both
 * sides and then waits to be killed.
 *
 * <ul>
 *   <li>incoming: it is in the middle of handling {@code w-1} (handler's row written, transaction
 *       open), and has handled {@code a-1} (transaction committed) but not yet acknowledged it;
 *   <li>outgoing: it committed {@value #ORDER_COUNT} orders with a business row each; its sender to
 *       the orders queue sends the first batch and then hangs, before the rows are deleted, so it
 *       holds the lease on all of them.
 * </ul>
 *
 * <p>It reports each step as a line on standard output; its log goes to standard error.
 *
 * <p>Arguments: JDBC URL, database user, schema, broker URL; the database password is in the
 * environment variable {@code FERRY_RECOVERY_DB_PASSWORD}.
 */
public final class RecoveryNode {
  private RecoveryNode() {}

  /** An order the killed node sends in a business transaction. */
  @MessageType("ferry.test.recovery.order.v1")
  public record Order(String id) {}

  /** A message whose handler is running when the node is killed. */
  @MessageType("ferry.test.recovery.work.v1")
  public record Work(String id) {}

  /** A message handled and committed, but not yet acknowledged, when the node is killed. */
  @MessageType("ferry.test.recovery.audit.v1")
  public record Audit(String id) {}

  static final String ORDERS = "recovery.orders";
  static final int ORDER_COUNT = 20;
  static final Duration VICTIM_LEASE = Duration.ofSeconds(4);

  /** What both nodes share: service, message types, routes, quick polling. */
  static BusBuilder common(String node, Transport transport, EnvelopeStore store) {
    return MessageBus.builder()
        .serviceName("recovery")
        .nodeId(node)
        .transport(transport)
        .store(store)
        .messageTypes(Order.class, Work.class, Audit.class)
        .route(Order.class, "queue:" + ORDERS)
        .route(Work.class, "queue:recovery.work")
        .route(Audit.class, "queue:recovery.audit")
        .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(100)))
        .listeners(ListenerOptions.defaults().concurrency(1).maxBatch(1));
  }

  /** Writes what a node handled through the handle of its unit of work. */
  static void recordHandled(MessageContext ctx, String schema, String id, String node) {
    Handle h = ctx.resource(Handle.class).orElseThrow();
    h.execute(
        "INSERT INTO \"" + schema + "\".handled (kind, id, node) VALUES (?, ?, ?)",
        ctx.envelope().messageType(),
        id,
        node);
  }

  static boolean isOrders(Address destination) {
    return destination.name().equals(ORDERS);
  }

  private static void report(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    String jdbcUrl = args[0];
    String user = args[1];
    String schema = args[2];
    String brokerUrl = args[3];
    String password = System.getenv().getOrDefault("FERRY_RECOVERY_DB_PASSWORD", "");
    CountDownLatch forever = new CountDownLatch(1);
    CountDownLatch workInProgress = new CountDownLatch(1);
    CountDownLatch auditCommitted = new CountDownLatch(1);
    CountDownLatch ordersHung = new CountDownLatch(1);

    JdbiEnvelopeStore store =
        JdbiEnvelopeStore.builder()
            .jdbcUrl(jdbcUrl)
            .username(user)
            .password(password)
            .schema(schema)
            .poolSize(6)
            .jtaRegistry("none")
            .build();
    Transport transport =
        new HookedTransport(
            JmsTransport.builder().url(brokerUrl).consumerWindowBytes(0).build(),
            RecoveryNode::isOrders,
            (real, batch) -> {
              real.send(batch); // the broker has them...
              report("ORDERS-SENT-THEN-HUNG " + batch.size());
              ordersHung.countDown();
              forever.await(); // ...but the rows are never deleted
            });
    MessageObserver hangAfterCommit =
        new MessageObserver() {
          @Override
          public void handled(Envelope envelope, Address endpoint) {
            if (envelope.messageType().equals("ferry.test.recovery.audit.v1")) {
              report("AUDIT-COMMITTED");
              auditCommitted.countDown();
              await(forever); // committed, never acknowledged
            }
          }
        };
    MessageBus bus =
        common("victim", transport, store)
            .outbox(OutboxOptions.defaults().lease(VICTIM_LEASE))
            .sender(SenderOptions.defaults().batchSize(5).parallelism(1))
            .observer(hangAfterCommit)
            .handle(
                Work.class,
                (w, ctx) -> {
                  recordHandled(ctx, schema, w.id(), "victim");
                  report("WORK-IN-PROGRESS");
                  workInProgress.countDown();
                  forever.await(); // the transaction stays open
                  return null;
                })
            .handle(
                Audit.class,
                (a, ctx) -> {
                  recordHandled(ctx, schema, a.id(), "victim");
                  return null;
                })
            .build();

    bus.send(new Work("w-1"));
    bus.send(new Audit("a-1"));
    check(workInProgress.await(30, TimeUnit.SECONDS), "w-1 never reached its handler");
    check(auditCommitted.await(30, TimeUnit.SECONDS), "a-1 was never handled");

    FerryJdbi.useTransaction(
        store,
        h -> {
          for (int i = 0; i < ORDER_COUNT; i++) {
            String id = "o-" + i;
            h.execute("INSERT INTO \"" + schema + "\".orders (id) VALUES (?)", id);
            bus.send(new Order(id));
          }
        });
    report("ORDERS-COMMITTED " + ORDER_COUNT);
    check(ordersHung.await(30, TimeUnit.SECONDS), "the orders were never sent");
    report("IN-FLIGHT");
    forever.await(); // until SIGKILL
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      report("FAILED " + failure);
      System.exit(2);
    }
  }
}
