package dev.ferry.testkit.servicebus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.SenderSettleMode;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.message.Message;

/**
 * The request/response pattern shared by $cbs and $management: a request arrives on a link to the
 * node, and the answer goes out on the client's receive link whose target is the request's
 * reply-to, with correlation-id set to the request's message-id (the SDK matches replies on it,
 * parsed as an unsigned long) and an Integer statusCode.
 */
abstract class RequestResponseNode {

  static final int OK = 200;
  static final int NO_CONTENT = 204;

  private long nextTag;

  /** Handles one complete request transfer. */
  final void onRequest(Delivery delivery) {
    if (delivery.isPartial()) {
      return; // proton keeps the bytes until the last frame has arrived
    }
    Receiver link = (Receiver) delivery.getLink();
    byte[] bytes = new byte[delivery.pending()];
    int read = link.recv(bytes, 0, bytes.length);
    link.advance();
    if (!delivery.remotelySettled()) {
      delivery.disposition(Accepted.getInstance());
    }
    delivery.settle();
    link.flow(1);
    Message request = AmqpWire.decode(Arrays.copyOf(bytes, read));
    Message response;
    try {
      response = handle(link, request);
    } catch (BrokerException e) {
      response = error(e.statusCode, e.condition, e.getMessage());
    } catch (RuntimeException e) {
      response = error(500, AmqpWire.INTERNAL_ERROR, String.valueOf(e));
    }
    reply(link, request, response);
  }

  abstract Message handle(Receiver link, Message request);

  static String operation(Message request) {
    Object operation = properties(request).get("operation");
    return operation == null ? "" : operation.toString();
  }

  static Map<String, Object> properties(Message message) {
    ApplicationProperties properties = message.getApplicationProperties();
    return properties == null || properties.getValue() == null ? Map.of() : properties.getValue();
  }

  static Message response(int statusCode, Object body) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("statusCode", statusCode); // must be an Integer: the SDK casts it to int
    properties.put("statusDescription", statusCode == OK ? "OK" : "No Content");
    Message response = Proton.message();
    response.setApplicationProperties(new ApplicationProperties(properties));
    if (body != null) {
      response.setBody(new AmqpValue(body));
    }
    return response;
  }

  static Message error(int statusCode, Symbol condition, String description) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("statusCode", statusCode);
    properties.put("statusDescription", description);
    properties.put("errorCondition", condition);
    Message response = Proton.message();
    response.setApplicationProperties(new ApplicationProperties(properties));
    return response;
  }

  private void reply(Receiver requestLink, Message request, Message response) {
    Sender replyLink = findReplyLink(requestLink, request.getReplyTo());
    if (replyLink == null) {
      return; // the client gave no way back; the SDK always does
    }
    response.setCorrelationId(request.getMessageId());
    response.setAddress(request.getReplyTo());
    byte[] bytes = AmqpWire.encode(response);
    Delivery delivery = replyLink.delivery(Long.toString(nextTag++).getBytes());
    replyLink.send(bytes, 0, bytes.length);
    replyLink.advance();
    if (replyLink.getSenderSettleMode() == SenderSettleMode.SETTLED) {
      delivery.settle();
    }
  }

  private static Sender findReplyLink(Receiver requestLink, String replyTo) {
    if (replyTo == null) {
      return null;
    }
    EnumSet<EndpointState> active = EnumSet.of(EndpointState.ACTIVE);
    EnumSet<EndpointState> any = EnumSet.allOf(EndpointState.class);
    for (Link link = requestLink.getSession().getConnection().linkHead(active, any);
        link != null;
        link = link.next(active, any)) {
      if (link instanceof Sender sender
          && link.getRemoteTarget() instanceof Target target
          && replyTo.equals(target.getAddress())) {
        return sender;
      }
    }
    return null;
  }
}
