package dev.ferry.testkit.servicebus;

import java.time.Instant;

/**
 * Session locks and session state. A session is locked by one receive link at a time, for the
 * entity's lock duration, renewed through $management; the messages it delivers are locked with it.
 */
final class Sessions {

  private final Broker broker;

  Sessions(Broker broker) {
    this.broker = broker;
  }

  /** Locks the session for the link, or returns null if another link holds it. */
  SessionState lock(MessageQueue queue, String sessionId, ConsumerLink link, Instant now) {
    SessionState session = queue.session(sessionId);
    if (session.isLocked(now) && session.owner != link) {
      return null;
    }
    if (session.owner != null && session.owner != link) {
      broker.releaseSessionLocks(session); // the previous holder's lock ran out
    }
    session.owner = link;
    session.lockedUntil = now.plus(queue.settings.lockDuration());
    broker.log.add("session-locked", queue.path, "session=" + sessionId);
    return session;
  }

  Instant renew(MessageQueue queue, String sessionId) {
    Instant now = broker.now();
    SessionState session = queue.session(sessionId);
    if (!session.isLocked(now)) {
      broker.log.add("session-lock-lost", queue.path, "session=" + sessionId);
      throw sessionLockLost(sessionId);
    }
    session.lockedUntil = now.plus(queue.settings.lockDuration());
    broker.log.add("renew-session-lock", queue.path, "session=" + sessionId);
    return session.lockedUntil;
  }

  /** The link closed or lost the lock: the session is free and its locked messages return. */
  void release(MessageQueue queue, SessionState session, ConsumerLink link, String why) {
    if (session.owner == link) {
      session.unlock();
    }
    broker.releaseSessionLocks(session);
    broker.log.add(why, queue.path, "session=" + session.id);
  }

  byte[] state(MessageQueue queue, String sessionId) {
    broker.log.add("get-session-state", queue.path, "session=" + sessionId);
    return queue.session(sessionId).state;
  }

  void setState(MessageQueue queue, String sessionId, byte[] state) {
    SessionState session = queue.session(sessionId);
    if (!session.isLocked(broker.now())) {
      throw sessionLockLost(sessionId);
    }
    session.state = state;
    broker.log.add("set-session-state", queue.path, "session=" + sessionId);
  }

  static BrokerException sessionLockLost(String sessionId) {
    return new BrokerException(
        AmqpWire.SESSION_LOCK_LOST,
        410,
        "The session lock has expired on the MessageSession. Session: " + sessionId);
  }
}
