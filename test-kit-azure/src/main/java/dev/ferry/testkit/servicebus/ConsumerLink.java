package dev.ferry.testkit.servicebus;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Sender;

/**
 * A client's receive link: sends messages while it has credit and answers its dispositions.
 *
 * <p>In peek-lock mode (snd-settle-mode unsettled, rcv-settle-mode second) every delivery carries
 * its lock token as the delivery tag, and every disposition the client sends is echoed back with
 * the same outcome type and settled: the SDK completes a settlement only when that echo arrives. A
 * disposition for a lost lock is answered with Rejected{com.microsoft:message-lock-lost}.
 */
final class ConsumerLink {

  final Sender sender;
  final MessageQueue queue;
  private final Broker broker;
  private final boolean receiveAndDelete;

  /** The locked session for session links; null for entities without sessions. */
  SessionState session;

  private boolean closed;

  ConsumerLink(Sender sender, MessageQueue queue, Broker broker) {
    this.sender = sender;
    this.queue = queue;
    this.broker = broker;
    this.receiveAndDelete = sender.getRemoteSenderSettleMode() == SenderSettleMode.SETTLED;
  }

  boolean isOpen() {
    return !closed && sender.getLocalState() == EndpointState.ACTIVE;
  }

  /** Delivers available messages while the client has granted credit. */
  void pump(Instant now) {
    if (!isOpen() || (queue.requiresSession() && session == null)) {
      return;
    }
    while (sender.getCredit() > 0) {
      if (session != null && !session.isLockedBy(this, now)) {
        return;
      }
      StoredMessage message = queue.nextAvailable(session == null ? null : session.id, now);
      if (message == null) {
        return;
      }
      deliver(message, now);
    }
  }

  private void deliver(StoredMessage message, Instant now) {
    if (receiveAndDelete) {
      byte[] bytes = message.encodeForReceiver(null, false);
      broker.receiveAndDelete(queue, message);
      Delivery delivery = sender.delivery(AmqpWire.deliveryTag(UUID.randomUUID()));
      sender.send(bytes, 0, bytes.length);
      sender.advance();
      delivery.settle();
      return;
    }
    MessageLock lock = broker.lock(message, queue, this, session, now);
    byte[] bytes = message.encodeForReceiver(lock.effectiveLockedUntil(), false);
    lock.delivery = sender.delivery(AmqpWire.deliveryTag(lock.token));
    sender.send(bytes, 0, bytes.length);
    sender.advance();
    broker.log.add(
        "deliver",
        queue.path,
        "seq="
            + message.sequenceNumber
            + " lockToken="
            + lock.token
            + " deliveryCount="
            + message.deliveryCount);
  }

  /** The client updated one of our deliveries: settle it the way it asked, or refuse. */
  void onDisposition(Delivery delivery) {
    if (delivery.isSettled()) {
      return;
    }
    DeliveryState requested = delivery.getRemoteState();
    if (requested == null) {
      if (delivery.remotelySettled()) {
        delivery.settle();
      }
      return;
    }
    UUID token = AmqpWire.lockToken(delivery.getTag());
    delivery.disposition(settle(token, requested));
    delivery.settle();
  }

  private DeliveryState settle(UUID token, DeliveryState requested) {
    MessageLock lock = broker.validLock(token);
    if (lock == null && session != null && !session.isLockedBy(this, broker.now())) {
      broker.log.add("session-lock-lost", queue.path, "session=" + session.id);
      return rejected(Sessions.sessionLockLost(session.id).toErrorCondition());
    }
    if (lock == null) {
      broker.log.add("lock-lost", queue.path, token);
      return rejected(BrokerException.lockLost(token).toErrorCondition());
    }
    if (requested instanceof Accepted) {
      broker.settle(lock, Broker.Settle.COMPLETE, null, null, null);
      return Accepted.getInstance();
    }
    if (requested instanceof Modified modified) {
      boolean defer = Boolean.TRUE.equals(modified.getUndeliverableHere());
      Broker.Settle kind = defer ? Broker.Settle.DEFER : Broker.Settle.ABANDON;
      broker.settle(lock, kind, null, null, stringKeys(modified.getMessageAnnotations()));
      Modified echo = new Modified();
      echo.setDeliveryFailed(modified.getDeliveryFailed());
      echo.setUndeliverableHere(modified.getUndeliverableHere());
      echo.setMessageAnnotations(modified.getMessageAnnotations());
      return echo;
    }
    if (requested instanceof Rejected rejected) {
      ErrorCondition error = rejected.getError();
      Map<String, Object> info = stringKeys(error == null ? null : (Map<?, ?>) error.getInfo());
      Object reason = info.remove(AmqpWire.DEAD_LETTER_REASON);
      Object description = info.remove(AmqpWire.DEAD_LETTER_DESCRIPTION);
      broker.settle(
          lock,
          Broker.Settle.DEAD_LETTER,
          reason == null ? null : reason.toString(),
          description == null ? null : description.toString(),
          info);
      return rejected(error);
    }
    if (requested instanceof Released) {
      broker.settle(lock, Broker.Settle.RELEASE, null, null, null);
      return Released.getInstance();
    }
    // Transactional state and anything else: refuse without touching the lock.
    return rejected(
        new ErrorCondition(AmqpWire.NOT_IMPLEMENTED, "Unsupported outcome: " + requested));
  }

  /** Called once, when the link is closed by either side. */
  void onClosed(String why) {
    if (closed) {
      return;
    }
    closed = true;
    if (session != null) {
      broker.sessions.release(queue, session, this, why);
    }
    broker.linkClosed(this);
  }

  private static Rejected rejected(ErrorCondition error) {
    Rejected rejected = new Rejected();
    rejected.setError(error);
    return rejected;
  }

  /** The SDK sends properties-to-modify as string-keyed maps; proton types them loosely. */
  static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> result = new HashMap<>();
    if (map != null) {
      map.forEach((key, value) -> result.put(String.valueOf(key), value));
    }
    return result;
  }
}
