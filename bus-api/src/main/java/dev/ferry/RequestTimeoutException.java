package dev.ferry;

/** No reply arrived in time for {@link MessageBus#request}. */
public class RequestTimeoutException extends FerryException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(String message) {
    super(message);
  }
}
