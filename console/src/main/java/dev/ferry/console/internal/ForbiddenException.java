package dev.ferry.console.internal;

/** The caller may not do this: no valid token, or a state change without its CSRF token. */
public class ForbiddenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String message) {
    super(message);
  }
}
