package dev.ferry;

import java.time.Duration;

/**
 * What the store holds now, for dashboards and alerts: a growing outbox or an old oldest row means
 * a destination is not taking messages; a growing dead-letter count means handlers fail.
 *
 * @param outboxDepth outgoing messages due now and not yet sent
 * @param oldestOutgoingAge how long the oldest of them has been due; zero when there are none
 * @param scheduled outgoing messages due later (scheduled sends and retries)
 * @param inboxDepth handled message ids the inbox keeps for duplicate detection
 * @param deadLetters dead letters
 */
public record StoreGauges(
    long outboxDepth,
    Duration oldestOutgoingAge,
    long scheduled,
    long inboxDepth,
    long deadLetters) {}
