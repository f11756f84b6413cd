package dev.ferry.testkit.servicebus;

import java.time.Instant;

/** A message session of one entity: its state blob and who holds its lock until when. */
final class SessionState {

  final String id;
  byte[] state;
  ConsumerLink owner;
  Instant lockedUntil;

  SessionState(String id) {
    this.id = id;
  }

  boolean isLocked(Instant now) {
    return owner != null && lockedUntil != null && lockedUntil.isAfter(now);
  }

  boolean isLockedBy(ConsumerLink link, Instant now) {
    return owner == link && isLocked(now);
  }

  void unlock() {
    owner = null;
    lockedUntil = null;
  }
}
