package dev.ferry;

import java.time.Instant;

/**
 * A message that could not be handled, with why.
 *
 * @param id the dead letter's id (the envelope's id plus its endpoint make it unique)
 * @param envelope the original envelope, unchanged
 * @param endpoint where it was received, as an address text
 * @param reason one of the dead-letter reasons of {@link Reasons}, e.g. {@link
 *     Reasons#HANDLER_FAILED}
 * @param exceptionType the failing exception's class name, or null
 * @param exceptionMessage the failing exception's message, or null
 * @param stackTrace the failing exception's stack trace, or null
 * @param attempts the failed handling attempts in all (see {@link
 *     dev.ferry.spi.Delivery#priorAttempts()})
 * @param firstFailedAt when the first failure of the delivery that dead-lettered it happened
 *     (earlier deliveries' failures are counted in {@code attempts}, but their times are not
 *     carried)
 * @param deadLetteredAt when it was dead-lettered
 */
public record DeadLetter(
    String id,
    Envelope envelope,
    String endpoint,
    String reason,
    String exceptionType,
    String exceptionMessage,
    String stackTrace,
    int attempts,
    Instant firstFailedAt,
    Instant deadLetteredAt) {}
