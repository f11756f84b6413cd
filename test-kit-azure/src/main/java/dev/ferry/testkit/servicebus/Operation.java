package dev.ferry.testkit.servicebus;

import java.time.Instant;

/**
 * One thing the double did on a client's behalf, for tests to assert on. Names follow the wire:
 *
 * <ul>
 *   <li>links: {@code attach-sender}, {@code attach-receiver}, {@code refuse-attach}
 *   <li>sending: {@code put-token}, {@code send}, {@code duplicate}, {@code rejected}
 *   <li>receiving: {@code deliver}, {@code receive-and-delete}, {@code complete}, {@code abandon},
 *       {@code dead-letter}, {@code defer}, {@code release}, {@code lock-lost}, {@code
 *       lock-expired}
 *   <li>$management: {@code renew-lock}, {@code schedule-message}, {@code
 *       cancel-scheduled-message}, {@code peek-message}, {@code update-disposition}, {@code
 *       receive-by-sequence-number}, {@code renew-session-lock}, {@code get-session-state}, {@code
 *       set-session-state}
 *   <li>sessions: {@code session-locked}, {@code session-released}, {@code session-lock-lost}
 *   <li>timers: {@code expired}, {@code dead-lettered} (any reason)
 *   <li>{@code internal-error}: a bug in the double; a test should never see it
 * </ul>
 *
 * @param time when it happened
 * @param name what happened
 * @param entity the entity path concerned (or the token audience for put-token)
 * @param detail lock token, sequence number, reason and the like; never a secret
 */
public record Operation(Instant time, String name, String entity, String detail) {

  @Override
  public String toString() {
    return name + " " + entity + (detail.isEmpty() ? "" : " " + detail);
  }
}
