package dev.ferry.testkit.servicebus;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import java.time.Duration;
import java.util.List;

/** SDK clients as the tests build them: real clients, short timeouts so failures fail fast. */
final class Sdk {

  static final Duration RECEIVE_WAIT = Duration.ofSeconds(5);

  private Sdk() {}

  /** Each builder opens its own AMQP connection, as separate applications would. */
  static ServiceBusClientBuilder client(ServiceBusTestDouble bus) {
    return client(bus, Duration.ofSeconds(10));
  }

  static ServiceBusClientBuilder client(ServiceBusTestDouble bus, Duration tryTimeout) {
    return new ServiceBusClientBuilder()
        .connectionString(bus.connectionString())
        .retryOptions(
            new AmqpRetryOptions()
                .setTryTimeout(tryTimeout)
                .setMaxRetries(1)
                .setDelay(Duration.ofMillis(100)));
  }

  /** The SDK wraps errors differently per client; the Service Bus reason is in the chain. */
  static ServiceBusFailureReason reason(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ServiceBusException serviceBus) {
        return serviceBus.getReason();
      }
    }
    throw new AssertionError("No ServiceBusException in the cause chain", error);
  }

  /** Some clients surface the link error itself rather than a ServiceBusException. */
  static AmqpErrorCondition condition(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AmqpException amqp && amqp.getErrorCondition() != null) {
        return amqp.getErrorCondition();
      }
    }
    throw new AssertionError("No AmqpException with a condition in the cause chain", error);
  }

  /** Closes the double, failing the test class if the double hit a bug of its own meanwhile. */
  static void closeChecked(ServiceBusTestDouble bus) {
    try {
      List<Operation> errors = bus.operations("internal-error");
      if (!errors.isEmpty()) {
        throw new AssertionError("The double failed internally: " + errors);
      }
    } finally {
      bus.close();
    }
  }

  static ServiceBusMessage message(String id, String body) {
    return new ServiceBusMessage(body).setMessageId(id);
  }
}
