package dev.ferry;

/**
 * Message types of this module's own tests. The test kit has its own set for its suites; this
 * module cannot use them, because the kit is built on it.
 */
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
}
