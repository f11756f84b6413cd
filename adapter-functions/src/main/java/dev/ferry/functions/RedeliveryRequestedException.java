package dev.ferry.functions;

import dev.ferry.FerryException;

/**
 * Thrown out of a function so that the Functions host abandons the message and Service Bus delivers
 * it again: the only way a function can ask for redelivery, since the host settles. Each delivery
 * counts toward the entity's MaxDeliveryCount.
 */
public class RedeliveryRequestedException extends FerryException {
  private static final long serialVersionUID = 1L;

  public RedeliveryRequestedException(String message) {
    super(message);
  }

  public RedeliveryRequestedException(String message, Throwable cause) {
    super(message, cause);
  }
}
