package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a delivery to the dead letters of the store (or the transport's own queue when so
 * configured), with the failure, and decides how to settle it. When the store cannot take it, the
 * transport redelivers: a dead letter is never dropped. Observers see every dead letter, native
 * ones too.
 */
final class DeadLetterWriter {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterWriter.class);

  private final String endpointText;
  private final RuntimeParts parts;

  DeadLetterWriter(Address endpoint, RuntimeParts parts) {
    this.endpointText = endpoint.toString();
    this.parts = parts;
  }

  /**
   * Dead-letters a delivery.
   *
   * @param reason one of the dead-letter reasons of {@link dev.ferry.Reasons}
   * @param attempts the failed attempts in all, this one included
   * @param firstFailedAt when the first of them failed
   */
  Decision deadLetter(
      Delivery d, String reason, Throwable failure, int attempts, Instant firstFailedAt) {
    Envelope e = d.envelope();
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
            Math.max(1, attempts),
            firstFailedAt == null || firstFailedAt.isAfter(now) ? now : firstFailedAt,
            now);
    if (parts.settings.nativeDeadLetter() && parts.transportCapabilities.nativeDeadLetter()) {
      parts.counters.deadLettered.increment();
      parts.observers.deadLettered(dl);
      log.warn("Dead-lettering {} natively on {}: {}", e.id(), endpointText, reason);
      return Decision.deadLetterNatively(reason, String.valueOf(failure));
    }
    try {
      parts.store.storeDeadLetter(dl);
    } catch (Exception storeFailure) {
      log.warn(
          "Could not store dead letter for {}; the transport will redeliver it",
          e.id(),
          storeFailure);
      return Decision.redeliverBatch(Pipeline.INFRASTRUCTURE_BACKOFF, storeFailure.toString());
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
    return Decision.deadLettered(reason, String.valueOf(failure));
  }
}
