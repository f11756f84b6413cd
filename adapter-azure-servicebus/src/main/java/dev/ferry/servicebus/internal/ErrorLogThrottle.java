package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusErrorContext;
import dev.ferry.Address;
import dev.ferry.spi.support.LogThrottle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a processor's errors at most once per interval in full, counting the rest: the SDK reports
 * every failed reconnect, and a namespace that is away for a while would flood the log.
 */
final class ErrorLogThrottle {
  // Under the listener's name: what operators filter and alert on for a listener.
  private static final Logger log = LoggerFactory.getLogger(ServiceBusListener.class);
  private final Address source;
  private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(30));

  ErrorLogThrottle(Address source) {
    this.source = source;
  }

  void report(ServiceBusErrorContext context) {
    Throwable e = context.getException();
    int before = throttle.next();
    boolean full = before != LogThrottle.QUIET;
    if (full && ServiceBusClients.isNotFound(e)) {
      log.error(
          "Service Bus entity '{}' ({}) does not exist ({} more errors since the last report);"
              + " the listener keeps trying",
          Entities.path(source),
          source,
          before);
    } else if (full) {
      log.warn(
          "Service Bus listener on {} saw an error from {} ({} more since the last warning); the"
              + " SDK retries and resumes: {}",
          source,
          context.getErrorSource(),
          before,
          String.valueOf(e));
    } else {
      log.debug("Service Bus listener on {}: {}", source, String.valueOf(e));
    }
  }
}
