package dev.ferry;

/**
 * Counters since the bus started.
 *
 * @param sent messages accepted for sending (including cascades)
 * @param delivered messages handed to the transport and confirmed
 * @param received messages received from listeners or invoked locally
 * @param handled messages whose handlers committed
 * @param failures failed handling attempts
 * @param retries attempts that were retried in any way
 * @param deadLettered messages moved to dead letters
 * @param expired messages discarded because their deliver-by had passed
 * @param discarded messages discarded by an error policy
 * @param duplicates redelivered messages the inbox recognised and skipped
 */
public record BusMetrics(
    long sent,
    long delivered,
    long received,
    long handled,
    long failures,
    long retries,
    long deadLettered,
    long expired,
    long discarded,
    long duplicates) {}
