package dev.ferry;

import java.util.List;

/**
 * What the bus is doing now, for operators and health checks: the circuit of each destination it
 * sends to, and each endpoint it listens on.
 *
 * @param destinations every destination this node sent to since it started
 * @param listeners every endpoint this node listens on
 * @param storeAnswers whether the envelope store answered just now; while it does not, listeners
 *     hold what they received and take nothing more, and the relay backs off
 */
public record BusStatus(
    List<Destination> destinations, List<Listening> listeners, boolean storeAnswers) {
  public BusStatus {
    destinations = List.copyOf(destinations);
    listeners = List.copyOf(listeners);
  }

  /**
   * A destination and its sender.
   *
   * @param address where messages go
   * @param circuitOpen whether sends fail so often that new messages only wait in the store until a
   *     probe succeeds
   * @param pending messages its sender holds in memory or is sending
   */
  public record Destination(Address address, boolean circuitOpen, long pending) {}

  /**
   * An endpoint and its listener.
   *
   * @param endpoint where messages come from
   * @param holding whether the listener holds what it received because the store does not answer
   */
  public record Listening(Address endpoint, boolean holding) {}
}
