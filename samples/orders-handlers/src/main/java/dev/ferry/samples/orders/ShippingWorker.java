package dev.ferry.samples.orders;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import org.jdbi.v3.core.Handle;

/**
 * Ships orders from the queue of {@link ShipOrder} commands. Every worker thread of every node
 * competes for the queue, so each command is handled by exactly one of them. While the carrier is
 * closed it fails with {@link CarrierUnavailableException}: {@link OrderFlow#carrierPolicy()}
 * retries, then dead-letters.
 */
public class ShippingWorker {
  private final String node;

  /** A worker named after this process ({@code jboss.node.name}, else the process id). */
  public ShippingWorker() {
    this(System.getProperty("jboss.node.name", "pid-" + ProcessHandle.current().pid()));
  }

  /** A worker of the named node (several nodes in one JVM, as in tests). */
  public ShippingWorker(String node) {
    this.node = node;
  }

  @Handles
  public void on(ShipOrder command, Handle handle, MessageContext context) {
    boolean open =
        handle
            .createQuery("select available from carrier where id = 1")
            .mapTo(Boolean.class)
            .findOne()
            .orElse(true);
    if (!open) {
      throw new CarrierUnavailableException(
          "The carrier takes no parcels; order "
              + command.orderId()
              + " waits (attempt "
              + context.attempt()
              + ")");
    }
    handle
        .createUpdate(
            "insert into shipments (order_id, worker, attempt) values (:id, :worker, :attempt)")
        .bind("id", command.orderId())
        .bind("worker", node + "/" + Thread.currentThread().getName())
        .bind("attempt", context.attempt())
        .execute();
  }
}
