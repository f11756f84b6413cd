package dev.ferry;

/**
 * A bounded buffer stayed full for longer than the caller may wait; nothing was accepted. Retry
 * later, or slow down.
 */
public class BackPressureException extends FerryException {
  private static final long serialVersionUID = 1L;

  public BackPressureException(String message) {
    super(message);
  }
}
