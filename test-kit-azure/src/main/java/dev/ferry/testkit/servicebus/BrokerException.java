package dev.ferry.testkit.servicebus;

import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;

/** A refusal the client must see as an AMQP error condition (on a link or in a reply). */
final class BrokerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  final transient Symbol condition;
  final int statusCode;

  BrokerException(Symbol condition, int statusCode, String description) {
    super(description);
    this.condition = condition;
    this.statusCode = statusCode;
  }

  /** The SDK treats not-found as permanent only when the text matches its entity pattern. */
  static BrokerException entityNotFound(String path) {
    return new BrokerException(
        AmqpWire.NOT_FOUND,
        404,
        "The messaging entity 'sb://localhost/" + path + "' could not be found.");
  }

  static BrokerException lockLost(Object token) {
    return new BrokerException(
        AmqpWire.MESSAGE_LOCK_LOST,
        410,
        "The lock supplied is invalid. Either the lock expired, or the message has already been"
            + " removed from the queue. Lock token: "
            + token);
  }

  ErrorCondition toErrorCondition() {
    return new ErrorCondition(condition, getMessage());
  }
}
