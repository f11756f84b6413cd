package dev.ferry.testkit.conformance;

import dev.ferry.MessageType;

/** Message types shared by the conformance suite and the adapters' tests. */
public final class TestMessages {
  private TestMessages() {}

  @MessageType("ferry.test.ping.v1")
  public record Ping(int n) {}

  @MessageType("ferry.test.pong.v1")
  public record Pong(int n) {}

  @MessageType("ferry.test.work.v1")
  public record Work(int n) {}

  @dev.ferry.Event
  @MessageType("ferry.test.event.v1")
  public record Event(String id) {}

  @MessageType("ferry.test.poison.v1")
  public record Poison(String id) {}

  @MessageType("ferry.test.big.v1")
  public record Big(String payload) {}
}
