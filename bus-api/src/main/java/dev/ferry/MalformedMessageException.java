package dev.ferry;

/** A message body or its headers cannot be read. Not retried: the message goes to dead letters. */
public class MalformedMessageException extends FerryException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String message) {
    super(message);
  }

  public MalformedMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
