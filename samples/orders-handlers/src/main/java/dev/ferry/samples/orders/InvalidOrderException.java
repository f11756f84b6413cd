package dev.ferry.samples.orders;

/** The order request cannot be read or is incomplete; the message says what is wrong. */
public class InvalidOrderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidOrderException(String message) {
    super(message);
  }

  public InvalidOrderException(String message, Throwable cause) {
    super(message, cause);
  }
}
