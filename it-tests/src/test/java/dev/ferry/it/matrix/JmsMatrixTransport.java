package dev.ferry.it.matrix;

import dev.ferry.Address;
import dev.ferry.testkit.EmbeddedArtemis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code ferry.transport=jms}: an embedded Artemis broker over TCP, outside any server. */
final class JmsMatrixTransport implements MatrixTransport {
  private EmbeddedArtemis broker;

  @Override
  public String name() {
    return "jms";
  }

  @Override
  public Map<String, String> start(List<Address> entities) throws Exception {
    Path dir = Path.of(System.getProperty("ferry.it.work", "target/it-work"), "artemis-matrix");
    broker = EmbeddedArtemis.builder().dataDirectory(dir).persistent(false).start();
    return Map.of("ferry.transport", "jms", "ferry.jms.url", broker.tcpUrl());
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
