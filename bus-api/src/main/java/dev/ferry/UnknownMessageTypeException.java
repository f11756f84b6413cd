package dev.ferry;

/**
 * A class without a registered alias was sent, or an alias from the wire is not registered here.
 * Not retried: the dead letter's reason says which one.
 */
public class UnknownMessageTypeException extends FerryException {
  private static final long serialVersionUID = 1L;

  public UnknownMessageTypeException(String message) {
    super(message);
  }
}
