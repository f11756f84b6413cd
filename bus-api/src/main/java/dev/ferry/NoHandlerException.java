package dev.ferry;

/** A message of a known type arrived where no handler for it is registered. */
public class NoHandlerException extends FerryException {
  private static final long serialVersionUID = 1L;

  public NoHandlerException(String message) {
    super(message);
  }
}
