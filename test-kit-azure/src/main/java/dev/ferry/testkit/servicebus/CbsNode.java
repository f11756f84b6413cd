package dev.ferry.testkit.servicebus;

import java.util.Map;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * The $cbs node. The SDK sends one put-token per entity path before attaching to it; any token is
 * accepted, and neither the token nor the key is ever logged.
 */
final class CbsNode extends RequestResponseNode {

  private final OperationLog log;

  CbsNode(OperationLog log) {
    this.log = log;
  }

  @Override
  Message handle(Receiver link, Message request) {
    String operation = operation(request);
    if (!"put-token".equals(operation)) {
      throw new BrokerException(
          AmqpWire.NOT_IMPLEMENTED, 501, "Unsupported $cbs operation: " + operation);
    }
    Map<String, Object> properties = properties(request);
    log.add("put-token", String.valueOf(properties.get("name")), "type=" + properties.get("type"));
    return response(OK, null);
  }
}
