package dev.ferry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import dev.ferry.config.FerryKeys;
import dev.ferry.servicebus.ServiceBusTransport;
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
  private static RuntimeException lastFailure;
  private static long lastFailureNanos;

  /** How long a failed build is reported again before the next attempt. */
  public static final java.time.Duration RETRY_BUILD_AFTER = java.time.Duration.ofSeconds(5);

  private static final long RETRY_BUILD_AFTER_NANOS = RETRY_BUILD_AFTER.toNanos();

  /** Triggers name Service Bus entities. */
  private static final String TRANSPORT = ServiceBusTransport.NAME;

  private FerryFunctions() {}

  /**
   * The worker, built on first use. A build that failed is not tried again for {@link
   * #RETRY_BUILD_AFTER}: invocations in the meantime fail at once (and their messages are delivered
   * again) instead of each waiting for the same failure. A worker whose Service Bus client could
   * not start is replaced.
   */
  public static FunctionsWorker worker() {
    FunctionsWorker w = worker;
    if (w != null && !w.broken()) {
      return w;
    }
    synchronized (LOCK) {
      if (worker != null && worker.broken()) {
        log.warn("Ferry's Service Bus client could not start in this worker; building anew");
        closeQuietly(worker);
        worker = null;
      }
      if (worker == null) {
        if (lastFailure != null && System.nanoTime() - lastFailureNanos < RETRY_BUILD_AFTER_NANOS) {
          throw new RedeliveryRequestedException(
              "Ferry could not start in this worker moments ago: " + lastFailure.getMessage(),
              lastFailure);
        }
        try {
          worker = build();
          lastFailure = null;
        } catch (RuntimeException e) {
          lastFailure = e;
          lastFailureNanos = System.nanoTime();
          log.error("Ferry cannot start in this Functions worker: {}", e.getMessage());
          throw e;
        }
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

  private static FunctionsWorker build() {
    FunctionsWorker.Builder builder = FunctionsWorker.builder();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    int setups = 0;
    for (FerryFunctionsSetup setup :
        ServiceLoader.load(
            FerryFunctionsSetup.class,
            loader != null ? loader : FerryFunctions.class.getClassLoader())) {
      setup.configure(builder);
      setups++;
    }
    if (setups == 0 && FerryConfig.fromEnvironment().get(FerryKeys.SCAN_PACKAGES) == null) {
      throw new ConfigurationException(
          "No FerryFunctionsSetup is registered (META-INF/services/"
              + FerryFunctionsSetup.class.getName()
              + ") and ferry.handlers.scan-packages is unset: the bus would have no handlers");
    }
    return builder.build();
  }

  private static void closeQuietly(FunctionsWorker w) {
    try {
      w.close();
    } catch (RuntimeException e) {
      log.debug("Closing a worker failed", e);
    }
  }

  /** The worker's bus, for functions that send (an HTTP-triggered order API, say). */
  public static MessageBus bus() {
    return worker().bus();
  }

  /**
   * The trigger of a function bound to a queue. It finds the worker's bus on each call, so it may
   * be kept in a static field.
   */
  public static ServiceBusTrigger queue(String queueName) {
    return new ServiceBusTrigger(FerryFunctions::worker, Address.queue(queueName).on(TRANSPORT));
  }

  /** The trigger of a function bound to a topic's subscription; see {@link #queue}. */
  public static ServiceBusTrigger subscription(String topicName, String subscriptionName) {
    return new ServiceBusTrigger(
        FerryFunctions::worker, Address.subscription(topicName, subscriptionName).on(TRANSPORT));
  }

  /**
   * Waits, before a function that is not Service Bus triggered returns (an HTTP order API, say),
   * until what it sent through {@link #bus()} reached the broker; what cannot be sent in time stays
   * in the outbox for the sweeper.
   *
   * @return whether everything was sent
   */
  public static boolean flush(ExecutionContext context) {
    return worker().flush(context);
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
      lastFailure = null;
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
