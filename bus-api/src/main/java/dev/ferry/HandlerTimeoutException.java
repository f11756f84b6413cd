package dev.ferry;

import java.time.Duration;

/**
 * The handlers of a message ran longer than {@code ferry.handler.timeout}: the attempt counts as
 * failed (its unit of work is rolled back) and the error policy decides what follows.
 */
public class HandlerTimeoutException extends FerryException {
  private static final long serialVersionUID = 1L;

  public HandlerTimeoutException(String messageId, Duration timeout) {
    super("The handlers of message " + messageId + " did not finish within " + timeout);
  }
}
