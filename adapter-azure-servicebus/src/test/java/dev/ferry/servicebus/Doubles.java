package dev.ferry.servicebus;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.testkit.servicebus.Operation;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;

/**
 * Transports pointed at a test double, with timeouts short enough for tests, and the SDK's own
 * clients on it, as applications outside Ferry use them.
 */
final class Doubles {
  private Doubles() {}

  static ServiceBusTransport.Builder transport(ServiceBusTestDouble serviceBus) {
    return ServiceBusTransport.builder()
        .connectionString(serviceBus.connectionString())
        .tryTimeout(Duration.ofSeconds(5))
        .maxRetries(1)
        .retryDelay(Duration.ofMillis(100));
  }

  /** An SDK client builder on the double with the SDK's defaults. */
  static ServiceBusClientBuilder client(ServiceBusTestDouble serviceBus) {
    return new ServiceBusClientBuilder().connectionString(serviceBus.connectionString());
  }

  /** Sends the messages to the queue, in order, through an SDK sender of their own. */
  static void send(ServiceBusTestDouble serviceBus, String queue, ServiceBusMessage... messages) {
    try (ServiceBusSenderClient sender =
        client(serviceBus).sender().queueName(queue).buildClient()) {
      for (ServiceBusMessage m : messages) {
        sender.sendMessage(m);
      }
    }
  }

  /** Closes the double, failing if it hit a bug of its own meanwhile. */
  static void closeChecked(ServiceBusTestDouble serviceBus) {
    if (serviceBus == null) {
      return;
    }
    try {
      List<Operation> errors = serviceBus.operations("internal-error");
      if (!errors.isEmpty()) {
        throw new AssertionError("The double failed internally: " + errors);
      }
    } finally {
      serviceBus.close();
    }
  }
}
