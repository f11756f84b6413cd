package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.Settlement;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a delivery to the dead letters of the store (or the transport's own queue when so
 * configured), with the failure, and says how to settle it. When the store cannot take it, the
 * transport redelivers: a dead letter is never dropped.
 */
final class DeadLetterWriter {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final String endpointText;
  private final RuntimeParts parts;

  DeadLetterWriter(Address endpoint, RuntimeParts parts) {
    this.endpointText = endpoint.toString();
    this.parts = parts;
  }

  Settlement deadLetter(Delivery d, String reason, Throwable failure, int attempts) {
    Envelope e = d.envelope();
    if (parts.settings.nativeDeadLetter() && parts.transportCapabilities.nativeDeadLetter()) {
      parts.counters.deadLettered.increment();
      log.warn("Dead-lettering {} natively on {}: {}", e.id(), endpointText, reason);
      return Settlement.deadLetter(reason, String.valueOf(failure));
    }
    Instant now = Instant.now();
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    DeadLetter dl =
        new DeadLetter(
            e.id() + "@" + endpointText,
            e,
            endpointText,
            reason,
            failure.getClass().getName(),
            failure.getMessage(),
            trace.toString(),
            Math.max(attempts, e.attempts() + 1),
            now,
            now);
    try {
      parts.store.storeDeadLetter(dl);
    } catch (Exception storeFailure) {
      log.warn(
          "Could not store dead letter for {}; the transport will redeliver it",
          e.id(),
          storeFailure);
      return Settlement.requeue(Pipeline.INFRASTRUCTURE_BACKOFF, -1);
    }
    parts.counters.deadLettered.increment();
    parts.observers.deadLettered(dl);
    log.warn(
        "Dead-lettered {} ({}) from {}: {}: {}",
        e.id(),
        e.messageType(),
        endpointText,
        reason,
        failure.toString());
    return Settlement.complete();
  }
}
