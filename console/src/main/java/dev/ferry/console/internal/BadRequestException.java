package dev.ferry.console.internal;

/** A request the console refuses, with a message for the operator; nothing was changed. */
public class BadRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    super(message);
  }
}
