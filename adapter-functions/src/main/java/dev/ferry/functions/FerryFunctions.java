package dev.ferry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.ferry.MessageBus;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's Ferry, for the thin function classes of an app. The first call builds the bus once
 * per worker process from the app settings and the app's {@link FerryFunctionsSetup}; later
 * invocations reuse it. A failed build (a database that is down at a cold start, say) fails that
 * invocation, so the message is delivered again, and the next invocation tries anew.
 *
 * <pre>{@code
 * @FunctionName("ship")
 * public void ship(
 *     @ServiceBusQueueTrigger(name = "message", queueName = "orders.shipping",
 *         connection = "ServiceBusConnection", dataType = "binary") byte[] body,
 *     @BindingName("MessageId") String messageId,
 *     @BindingName("DeliveryCount") int deliveryCount,
 *     ...,
 *     ExecutionContext context) {
 *   FerryFunctions.queue("orders.shipping")
 *       .handle(ServiceBusTrigger.message(body, messageId, deliveryCount, ...), context);
 * }
 * }</pre>
 */
public final class FerryFunctions {
  private static final Logger log = LoggerFactory.getLogger(FerryFunctions.class);
  private static final Object LOCK = new Object();
  private static volatile FunctionsWorker worker;
  private static boolean shutdownHook;

  private FerryFunctions() {}

  /** The worker, built on first use. */
  public static FunctionsWorker worker() {
    FunctionsWorker w = worker;
    if (w != null) {
      return w;
    }
    synchronized (LOCK) {
      if (worker == null) {
        FunctionsWorker.Builder builder = FunctionsWorker.builder();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (FerryFunctionsSetup setup :
            ServiceLoader.load(
                FerryFunctionsSetup.class,
                loader != null ? loader : FerryFunctions.class.getClassLoader())) {
          setup.configure(builder);
        }
        worker = builder.build();
        if (!shutdownHook) {
          Runtime.getRuntime()
              .addShutdownHook(new Thread(FerryFunctions::shutdown, "ferry-functions-shutdown"));
          shutdownHook = true;
        }
        log.info("Ferry is ready in this Functions worker");
      }
      return worker;
    }
  }

  /** The worker's bus, for functions that send (an HTTP-triggered order API, say). */
  public static MessageBus bus() {
    return worker().bus();
  }

  /** The trigger of a function bound to a queue. */
  public static ServiceBusTrigger queue(String queueName) {
    return worker().queue(queueName);
  }

  /** The trigger of a function bound to a topic's subscription. */
  public static ServiceBusTrigger subscription(String topicName, String subscriptionName) {
    return worker().subscription(topicName, subscriptionName);
  }

  /**
   * The sweeper: sends what invocations left in the outbox (a flush that ran out of time, a worker
   * that was recycled) and scheduled messages that are due. Call it from a timer-triggered
   * function.
   *
   * @return whether everything due was sent
   */
  public static boolean sweep(ExecutionContext context) {
    return worker().sweep(context);
  }

  /** Closes the worker's bus (at worker shutdown); the next call builds a new one. */
  public static void shutdown() {
    synchronized (LOCK) {
      if (worker != null) {
        try {
          worker.close();
        } finally {
          worker = null;
        }
      }
    }
  }
}
