package dev.ferry.it.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.Address;
import dev.ferry.samples.pingpong.PingPongApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tutorial's ping/pong, its main method unchanged, on every transport: configuration (system
 * properties, as a user would pass them) is all that differs. Its handlers name no endpoint; the
 * ponger listens on the queue of the Ping command and the replies come back to the pinger's node.
 */
class PingPongMatrixIT {
  static final String NODE = "pingpong-matrix";

  static Stream<MatrixTransport> transports() {
    return TransportMatrixIT.transports();
  }

  @ParameterizedTest(name = "ferry.transport={0}")
  @MethodSource("transports")
  void everyPingGetsItsPong(MatrixTransport transport) throws Exception {
    // What an operator creates where the broker creates nothing: the command's queue and the
    // reply queue of the (fixed) node id.
    List<Address> entities =
        List.of(Address.queue("pingpong.ping.v1"), Address.queue("ferry.replies." + NODE));
    try (transport) {
      Map<String, String> config = new LinkedHashMap<>(transport.start(entities));
      config.put("ferry.node-id", NODE);
      config.forEach(System::setProperty);
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream out = System.out;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        PingPongApp.main(new String[] {"--count=5", "--interval=100ms"});
      } finally {
        System.setOut(out);
        config.keySet().forEach(System::clearProperty);
      }
      String text = printed.toString(StandardCharsets.UTF_8);
      out.print(text);
      assertThat(text)
          .contains("on transport '" + transport.name() + "'")
          .contains("Done: 5 ping(s) sent, 5 pong(s) received, 0 failure(s)")
          .doesNotContain("@Handles(endpoint)");
    }
  }
}
