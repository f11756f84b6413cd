package dev.ferry.testkit.servicebus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * The per-entity {@code <entity>/$management} node and the com.microsoft operations the Java SDK
 * uses. Response maps follow ManagementChannel and ServiceBusMessageSerializer: arrays must be
 * object arrays ({@code Long[]}, {@code Date[]}) because proton-j 0.34.1 cannot encode a primitive
 * {@code long[]} inside a map; the SDK still decodes the AMQP array as {@code long[]}.
 */
final class ManagementNode extends RequestResponseNode {

  private static final String PREFIX = "com.microsoft:";

  private final Broker broker;

  ManagementNode(Broker broker) {
    this.broker = broker;
  }

  @Override
  Message handle(Receiver link, Message request) {
    String address = ((Target) link.getTarget()).getAddress();
    String path = address.substring(0, address.length() - "/$management".length());
    Map<String, Object> body = body(request);
    String operation = operation(request);
    String name = operation.startsWith(PREFIX) ? operation.substring(PREFIX.length()) : operation;
    return switch (name) {
      case "renew-lock" -> renewLock(body);
      case "schedule-message" -> schedule(path, body);
      case "cancel-scheduled-message" -> cancelScheduled(path, body);
      case "peek-message" -> peek(path, body);
      case "update-disposition" -> updateDisposition(path, body);
      case "receive-by-sequence-number" -> receiveBySequenceNumber(path, body);
      case "renew-session-lock" -> renewSessionLock(path, body);
      case "get-session-state" -> getSessionState(path, body);
      case "set-session-state" -> setSessionState(path, body);
      default ->
          throw new BrokerException(
              AmqpWire.NOT_IMPLEMENTED, 501, "Unsupported $management operation: " + operation);
    };
  }

  private Message renewLock(Map<String, Object> body) {
    List<UUID> tokens = AmqpWire.uuids(body.get("lock-tokens"));
    Date[] expirations = new Date[tokens.size()];
    for (int i = 0; i < tokens.size(); i++) {
      expirations[i] = AmqpWire.date(broker.renewLock(tokens.get(i)));
    }
    return response(OK, Map.of("expirations", expirations));
  }

  private Message schedule(String path, Map<String, Object> body) {
    List<Message> messages = new ArrayList<>();
    for (Object entry : (Iterable<?>) body.get("messages")) {
      messages.add(AmqpWire.decode(binaryBytes((Binary) ((Map<?, ?>) entry).get("message"))));
    }
    List<Long> sequenceNumbers = broker.schedule(path, messages);
    sequenceNumbers.forEach(n -> broker.log.add("schedule-message", path, "seq=" + n));
    return response(OK, Map.of("sequence-numbers", sequenceNumbers.toArray(new Long[0])));
  }

  private Message cancelScheduled(String path, Map<String, Object> body) {
    broker.cancelScheduled(
        broker.registry.sendTarget(path), AmqpWire.longs(body.get("sequence-numbers")));
    return response(OK, Map.of());
  }

  private Message peek(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    long from = ((Number) body.getOrDefault("from-sequence-number", 0L)).longValue();
    int count = ((Number) body.getOrDefault("message-count", 1)).intValue();
    String sessionId = (String) body.get("session-id");
    List<Map<String, Object>> messages = new ArrayList<>();
    for (StoredMessage message : queue.peek(from, count, sessionId, broker.now())) {
      Instant lockedUntil = message.lock == null ? null : message.lock.effectiveLockedUntil();
      messages.add(Map.of("message", new Binary(message.encodeForReceiver(lockedUntil, true))));
    }
    broker.log.add("peek-message", queue.path, "from=" + from + " found=" + messages.size());
    return messages.isEmpty()
        ? response(NO_CONTENT, Map.of())
        : response(OK, Map.of("messages", messages));
  }

  private Message updateDisposition(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    String sessionId = (String) body.get("session-id");
    String status = String.valueOf(body.get("disposition-status")).toLowerCase(Locale.ROOT);
    Broker.Settle kind =
        switch (status) {
          case "completed" -> Broker.Settle.COMPLETE;
          case "abandoned" -> Broker.Settle.ABANDON;
          case "defered", "deferred" -> Broker.Settle.DEFER;
          case "suspended" -> Broker.Settle.DEAD_LETTER;
          case "released" -> Broker.Settle.RELEASE;
          default ->
              throw new BrokerException(
                  AmqpWire.ARGUMENT_ERROR, 400, "Unknown disposition-status: " + status);
        };
    Object reason = body.get("deadletter-reason");
    Object description = body.get("deadletter-description");
    Map<String, Object> properties =
        ConsumerLink.stringKeys((Map<?, ?>) body.get("properties-to-modify"));
    for (UUID token : AmqpWire.uuids(body.get("lock-tokens"))) {
      MessageLock lock = broker.validLock(token);
      if (lock == null && sessionId != null && !queue.session(sessionId).isLocked(broker.now())) {
        broker.log.add("session-lock-lost", queue.path, "session=" + sessionId);
        throw Sessions.sessionLockLost(sessionId);
      }
      if (lock == null) {
        broker.log.add("lock-lost", queue.path, token);
        throw BrokerException.lockLost(token);
      }
      if (lock.delivery != null && !lock.delivery.isSettled()) {
        lock.delivery.settle(); // the delivery on the link is finished with, too
      }
      broker.log.add("update-disposition", lock.queue.path, status + " " + token);
      broker.settle(
          lock,
          kind,
          reason == null ? null : reason.toString(),
          description == null ? null : description.toString(),
          properties);
    }
    return response(OK, Map.of());
  }

  private Message receiveBySequenceNumber(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    Instant now = broker.now();
    // receiver-settle-mode 0 = receive-and-delete, 1 = peek-lock (ManagementChannel)
    boolean peekLock = ((Number) body.getOrDefault("receiver-settle-mode", 1)).intValue() != 0;
    String sessionId = (String) body.get("session-id");
    SessionState session = null;
    if (sessionId != null) {
      session = queue.session(sessionId);
      if (!session.isLocked(now)) {
        throw Sessions.sessionLockLost(sessionId);
      }
    }
    List<Map<String, Object>> messages = new ArrayList<>();
    for (long sequenceNumber : AmqpWire.longs(body.get("sequence-numbers"))) {
      StoredMessage message = queue.get(sequenceNumber);
      if (message == null || message.state != MessageState.DEFERRED) {
        throw new BrokerException(
            AmqpWire.MESSAGE_NOT_FOUND,
            404,
            "Failed to retrieve deferred message with sequence number " + sequenceNumber);
      }
      Map<String, Object> entry = new HashMap<>();
      if (peekLock) {
        MessageLock lock = broker.lock(message, queue, null, session, now);
        entry.put(
            "message", new Binary(message.encodeForReceiver(lock.effectiveLockedUntil(), true)));
        entry.put("lock-token", lock.token);
      } else {
        entry.put("message", new Binary(message.encodeForReceiver(null, true)));
        broker.receiveAndDelete(queue, message);
      }
      messages.add(entry);
      broker.log.add("receive-by-sequence-number", queue.path, "seq=" + sequenceNumber);
    }
    return response(OK, Map.of("messages", messages));
  }

  private Message renewSessionLock(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    Instant until = broker.sessions.renew(queue, (String) body.get("session-id"));
    return response(OK, Map.of("expiration", AmqpWire.date(until)));
  }

  private Message getSessionState(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    byte[] state = broker.sessions.state(queue, (String) body.get("session-id"));
    Map<String, Object> result = new HashMap<>();
    result.put("session-state", state == null ? null : new Binary(state));
    return response(OK, result);
  }

  private Message setSessionState(String path, Map<String, Object> body) {
    MessageQueue queue = broker.registry.receivable(path);
    Object state = body.get("session-state");
    broker.sessions.setState(
        queue, (String) body.get("session-id"), state == null ? null : binaryBytes((Binary) state));
    return response(OK, Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(Message request) {
    if (request.getBody() instanceof AmqpValue value && value.getValue() instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    return Map.of();
  }

  private static byte[] binaryBytes(Binary binary) {
    return Arrays.copyOfRange(
        binary.getArray(), binary.getArrayOffset(), binary.getArrayOffset() + binary.getLength());
  }
}
