package dev.ferry.servicebus;

import dev.ferry.testkit.servicebus.Operation;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import java.time.Duration;
import java.util.List;

/** Transports pointed at a test double, with timeouts short enough for tests. */
final class Doubles {
  private Doubles() {}

  static ServiceBusTransport.Builder transport(ServiceBusTestDouble serviceBus) {
    return ServiceBusTransport.builder()
        .connectionString(serviceBus.connectionString())
        .tryTimeout(Duration.ofSeconds(5))
        .maxRetries(1)
        .retryDelay(Duration.ofMillis(100));
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
