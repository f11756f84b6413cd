package dev.ferry.it.matrix;

import dev.ferry.Address;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code ferry.transport=local}: the in-process broker. */
final class LocalMatrixTransport implements MatrixTransport {
  @Override
  public String name() {
    return "local";
  }

  @Override
  public Map<String, String> start(List<Address> entities) {
    return Map.of("ferry.transport", "local", "ferry.local.broker", "matrix-" + UUID.randomUUID());
  }

  @Override
  public String toString() {
    return name();
  }
}
