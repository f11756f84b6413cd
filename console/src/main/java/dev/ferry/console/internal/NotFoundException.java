package dev.ferry.console.internal;

/** The dead letter (or resource) asked for does not exist, or no longer. */
public class NotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }
}
