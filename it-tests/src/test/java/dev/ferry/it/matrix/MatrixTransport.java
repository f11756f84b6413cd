package dev.ferry.it.matrix;

import dev.ferry.Address;
import java.util.List;
import java.util.Map;

/**
 * One column of the transport matrix: a broker for the duration of the test (if the transport needs
 * one) and the configuration that selects and reaches it. The order flow itself is the same code
 * for every column; only these keys differ.
 */
public interface MatrixTransport extends AutoCloseable {

  /** The {@code ferry.transport} value, also the name of the suite's database schemas. */
  String name();

  /**
   * Starts what the transport needs, with {@code entities} (the service's routing description) on a
   * broker that does not create them itself, and returns the configuration keys that select it.
   */
  Map<String, String> start(List<Address> entities) throws Exception;

  @Override
  default void close() {}
}
