package dev.ferry;

import java.time.Instant;

/**
 * Which dead letters to list, replay or purge: all of them, narrowed by each criterion given.
 *
 * <pre>{@code
 * bus.deadLetters().replay(DeadLetterQuery.all().messageType("orders.ship-order.v1")
 *     .reason("handler-failed").deadLetteredAfter(incidentStart));
 * }</pre>
 *
 * @param endpoint the endpoint they failed on, as {@link DeadLetter#endpoint()} shows it, or null
 * @param messageType the message type alias, or null
 * @param reason the reason, e.g. {@code handler-failed} or {@code unknown-message-type}, or null
 * @param after only those dead-lettered at or after this instant, or null
 * @param before only those dead-lettered before this instant, or null
 * @param limit at most this many (lists default to 100; replay and purge to all)
 */
public record DeadLetterQuery(
    String endpoint, String messageType, String reason, Instant after, Instant before, int limit) {

  /** No limit: every matching dead letter. */
  public static final int ALL = Integer.MAX_VALUE;

  public DeadLetterQuery {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
  }

  /** Every dead letter. */
  public static DeadLetterQuery all() {
    return new DeadLetterQuery(null, null, null, null, null, ALL);
  }

  public DeadLetterQuery endpoint(String endpoint) {
    return new DeadLetterQuery(endpoint, messageType, reason, after, before, limit);
  }

  public DeadLetterQuery messageType(String alias) {
    return new DeadLetterQuery(endpoint, alias, reason, after, before, limit);
  }

  public DeadLetterQuery reason(String reason) {
    return new DeadLetterQuery(endpoint, messageType, reason, after, before, limit);
  }

  public DeadLetterQuery deadLetteredAfter(Instant instant) {
    return new DeadLetterQuery(endpoint, messageType, reason, instant, before, limit);
  }

  public DeadLetterQuery deadLetteredBefore(Instant instant) {
    return new DeadLetterQuery(endpoint, messageType, reason, after, instant, limit);
  }

  public DeadLetterQuery limit(int limit) {
    return new DeadLetterQuery(endpoint, messageType, reason, after, before, limit);
  }

  /** Whether a dead letter matches every criterion given. */
  public boolean matches(DeadLetter d) {
    return (endpoint == null || endpoint.equals(d.endpoint()))
        && (messageType == null || messageType.equals(d.envelope().messageType()))
        && (reason == null || reason.equals(d.reason()))
        && (after == null || !d.deadLetteredAt().isBefore(after))
        && (before == null || d.deadLetteredAt().isBefore(before));
  }
}
