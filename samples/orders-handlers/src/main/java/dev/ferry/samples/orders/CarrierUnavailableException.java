package dev.ferry.samples.orders;

/** The carrier takes no parcels right now: worth retrying, then a case for the dead letters. */
public class CarrierUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CarrierUnavailableException(String message) {
    super(message);
  }
}
