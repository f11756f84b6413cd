package dev.ferry.samples.pingpong;

import dev.ferry.MessageType;
import java.time.Instant;

/** The two messages of the tutorial. Aliases, not class names, travel on the wire. */
final class Messages {
  private Messages() {}

  // tag::ping[]
  @MessageType("pingpong.ping.v1")
  record Ping(long number, Instant sentAt) {}

  // end::ping[]

  @MessageType("pingpong.pong.v1")
  record Pong(long number, Instant pingSentAt) {}
}
