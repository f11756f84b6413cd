package dev.ferry;

/** Invalid or missing configuration, detected at start-up; the message names the key. */
public class ConfigurationException extends FerryException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  public ConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
