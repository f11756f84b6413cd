package dev.ferry;

/** Base class of the exceptions Ferry throws. */
public class FerryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FerryException(String message) {
    super(message);
  }

  public FerryException(String message, Throwable cause) {
    super(message, cause);
  }
}
