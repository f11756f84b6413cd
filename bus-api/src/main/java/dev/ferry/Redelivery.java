package dev.ferry;

/**
 * How the retry steps of error policies ({@link ErrorPolicy.Builder#retry}, {@link
 * ErrorPolicy.Builder#thenRetryAfter}, {@link ErrorPolicy.Builder#thenBackoff}) are carried out;
 * {@code ferry.errors.redelivery} in configuration, {@link BusBuilder#redelivery} in code.
 */
public enum Redelivery {
  /** On the handling thread, which waits out the delay: the default. */
  IN_PROCESS("in-process"),
  /** Each retry is a redelivery by the broker, as Azure Functions needs: the default there. */
  TRANSPORT("transport"),
  /** Each retry is a scheduled copy, at least 1 s later; the thread is not held. */
  SCHEDULE("schedule");

  private final String configValue;

  Redelivery(String configValue) {
    this.configValue = configValue;
  }

  /** The value of {@code ferry.errors.redelivery} that selects this mode. */
  public String configValue() {
    return configValue;
  }
}
