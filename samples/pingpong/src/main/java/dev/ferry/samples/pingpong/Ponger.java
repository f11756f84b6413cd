package dev.ferry.samples.pingpong;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import dev.ferry.samples.pingpong.Messages.Ping;
import dev.ferry.samples.pingpong.Messages.Pong;
import java.util.concurrent.atomic.AtomicLong;

/** Answers every Ping with a Pong, sent back to whoever sent the Ping. */
public class Ponger {
  final AtomicLong pings = new AtomicLong();

  // tag::ponger[]
  @Handles
  public void on(Ping ping, MessageContext context) {
    pings.incrementAndGet();
    context.respond(new Pong(ping.number(), ping.sentAt()));
  }
  // end::ponger[]
}
