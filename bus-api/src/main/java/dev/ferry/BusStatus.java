package dev.ferry;

import java.time.Instant;
import java.util.List;

/**
 * What the bus is doing now, for operators and health checks ({@link BusHealth}): the circuit of
 * each destination it sends to, and each endpoint it listens on.
 *
 * @param destinations every destination this node sent to since it started
 * @param listeners every endpoint this node listens on
 * @param storeAnswers whether the envelope store answered just now; while it does not, listeners
 *     hold what they received and take nothing more, and the relay backs off
 * @param running whether the bus is started and not closed
 */
public record BusStatus(
    List<Destination> destinations,
    List<Listening> listeners,
    boolean storeAnswers,
    boolean running) {
  public BusStatus {
    destinations = List.copyOf(destinations);
    listeners = List.copyOf(listeners);
  }

  /** The status of a running bus. */
  public BusStatus(
      List<Destination> destinations, List<Listening> listeners, boolean storeAnswers) {
    this(destinations, listeners, storeAnswers, true);
  }

  /**
   * A destination and its sender.
   *
   * @param address where messages go
   * @param circuitOpen whether sends fail so often that new messages only wait in the store until a
   *     probe succeeds
   * @param pending messages its sender holds in memory or is sending
   * @param openSince when the circuit opened, while it is open; null while it is closed
   */
  public record Destination(Address address, boolean circuitOpen, long pending, Instant openSince) {
    /** A destination whose circuit opened at an unknown instant (or is closed). */
    public Destination(Address address, boolean circuitOpen, long pending) {
      this(address, circuitOpen, pending, null);
    }
  }

  /**
   * An endpoint and its listener.
   *
   * @param endpoint where messages come from
   * @param holding whether the listener holds what it received because the store does not answer
   * @param attached whether the listener is connected to its endpoint now (see {@link
   *     dev.ferry.spi.Listener#attached()})
   */
  public record Listening(Address endpoint, boolean holding, boolean attached) {
    /** An attached listener. */
    public Listening(Address endpoint, boolean holding) {
      this(endpoint, holding, true);
    }
  }
}
