package dev.ferry.spi;

import dev.ferry.Address;

/** A running receiver of one source address. */
public interface Listener extends AutoCloseable {

  Address source();

  /** Stops taking new deliveries; in-flight ones finish. Used for back pressure. */
  void pause();

  void resume();

  /** Stops receiving and waits for in-flight deliveries to settle. */
  /**
   * Whether the listener is connected to its source now; false while it reconnects after the broker
   * went away. Readiness checks read it ({@link dev.ferry.BusHealth}).
   */
  default boolean attached() {
    return true;
  }

  @Override
  void close();
}
