package dev.ferry.opentelemetry.internal;

import dev.ferry.Address;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry messaging semantic conventions' attribute names Ferry sets, written out here
 * rather than taken from the incubating semconv artifact, plus Ferry's own.
 */
final class Semconv {
  private Semconv() {}

  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> DESTINATION_NAME =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> SUBSCRIPTION_NAME =
      AttributeKey.stringKey("messaging.destination.subscription.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("messaging.message.conversation_id");
  static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("ferry.message.type");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ferry.attempt");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("ferry.reason");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("ferry.service");

  /** The destination's name as the conventions mean it: a queue's or topic's name. */
  static String destinationName(Address address) {
    return address == null ? "local" : address.name();
  }

  /** {@code messaging.system}: the broker family behind the transport. */
  static String system(Address address) {
    String transport = address == null ? null : address.transport();
    if (transport == null) {
      return "ferry";
    }
    return switch (transport) {
      case "jms" -> "jms";
      case "servicebus" -> "servicebus";
      default -> transport;
    };
  }
}
