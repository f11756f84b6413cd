package dev.ferry.scanned;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import dev.ferry.TestMessages.Ping;
import dev.ferry.TestMessages.Pong;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Found by package scanning in the tests. */
public class ScannedHandlers {
  public static final List<Integer> SEEN = new CopyOnWriteArrayList<>();

  @Handles
  public Pong on(Ping ping, MessageContext ctx) {
    SEEN.add(ping.n());
    return new Pong(ping.n());
  }
}
