package dev.ferry;

/** A serialized message exceeds what the transport accepts; nothing was sent or stored. */
public class MessageTooLargeException extends FerryException {
  private static final long serialVersionUID = 1L;

  public MessageTooLargeException(String message) {
    super(message);
  }
}
