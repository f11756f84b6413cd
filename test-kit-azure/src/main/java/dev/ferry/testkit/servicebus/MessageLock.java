package dev.ferry.testkit.servicebus;

import java.time.Instant;
import java.util.UUID;
import org.apache.qpid.proton.engine.Delivery;

/**
 * A peek-lock on one message. The token is also the AMQP delivery tag, so a disposition on the link
 * and a management call name the same lock.
 */
final class MessageLock {

  final UUID token;
  final StoredMessage message;
  final MessageQueue queue;

  /** The session lock this message lock lives under, or null outside sessions. */
  final SessionState session;

  /** The link the message went out on; null once that link is gone or for management receives. */
  ConsumerLink link;

  Delivery delivery;
  Instant lockedUntil;

  MessageLock(
      UUID token,
      StoredMessage message,
      MessageQueue queue,
      SessionState session,
      ConsumerLink link,
      Instant lockedUntil) {
    this.token = token;
    this.message = message;
    this.queue = queue;
    this.session = session;
    this.link = link;
    this.lockedUntil = lockedUntil;
  }

  /** Inside a session the session lock is what counts; the service renews them together. */
  Instant effectiveLockedUntil() {
    return session != null ? session.lockedUntil : lockedUntil;
  }

  boolean isValid(Instant now) {
    return session != null ? session.isLocked(now) : lockedUntil.isAfter(now);
  }
}
