package dev.ferry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Liveness and readiness of a bus, with the reasons of a DOWN, computed from {@link
 * MessageBus#status()}: for a host's health endpoints (MicroProfile Health in an app server, an
 * HTTP function in Azure Functions, a Kubernetes probe).
 *
 * <ul>
 *   <li><b>Liveness</b>: the bus runs. Its loops (listeners, senders, the relay) are supervised and
 *       never end while it runs, so a restart of the process helps only when the bus was closed.
 *   <li><b>Readiness</b>: the store answers, every listener is attached to its endpoint and not
 *       holding, and no destination's circuit has been open for longer than a limit (a circuit
 *       opens at the first outage of a broker; only a long one makes the node unready).
 * </ul>
 *
 * <pre>{@code
 * BusHealth health = BusHealth.of(bus).circuitOpenLimit(Duration.ofMinutes(1));
 * BusHealth.Check ready = health.readiness(); // ready.up(), ready.reasons()
 * }</pre>
 */
public final class BusHealth {
  /** How long a circuit may stay open before readiness goes DOWN, unless set otherwise. */
  public static final Duration DEFAULT_CIRCUIT_OPEN_LIMIT = Duration.ofSeconds(30);

  private final MessageBus bus;
  private final Duration circuitOpenLimit;
  private final Clock clock;

  private BusHealth(MessageBus bus, Duration circuitOpenLimit, Clock clock) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.circuitOpenLimit = Objects.requireNonNull(circuitOpenLimit, "circuitOpenLimit");
    this.clock = clock;
  }

  /** The health of this bus, with the {@link #DEFAULT_CIRCUIT_OPEN_LIMIT}. */
  public static BusHealth of(MessageBus bus) {
    return new BusHealth(bus, DEFAULT_CIRCUIT_OPEN_LIMIT, Clock.systemUTC());
  }

  /** The same checks with another limit for how long a circuit may stay open. */
  public BusHealth circuitOpenLimit(Duration limit) {
    if (limit.isNegative()) {
      throw new IllegalArgumentException("circuitOpenLimit must not be negative: " + limit);
    }
    return new BusHealth(bus, limit, clock);
  }

  /** UP while the bus runs. */
  public Check liveness() {
    BusStatus status;
    try {
      status = bus.status();
    } catch (RuntimeException e) {
      return Check.down("status unavailable: " + e);
    }
    return status.running() ? Check.UP : Check.down("bus '" + bus.serviceName() + "' is closed");
  }

  /**
   * UP while the bus runs, its store answers, its listeners are attached and its circuits close.
   */
  public Check readiness() {
    BusStatus status;
    try {
      status = bus.status();
    } catch (RuntimeException e) {
      return Check.down("status unavailable: " + e);
    }
    List<String> reasons = new ArrayList<>();
    if (!status.running()) {
      reasons.add("bus '" + bus.serviceName() + "' is closed");
    }
    if (!status.storeAnswers()) {
      reasons.add("store does not answer");
    }
    for (BusStatus.Listening l : status.listeners()) {
      if (!l.attached()) {
        reasons.add("listener on " + l.endpoint() + " is not attached");
      } else if (l.holding()) {
        reasons.add("listener on " + l.endpoint() + " holds its messages");
      }
    }
    Instant now = clock.instant();
    for (BusStatus.Destination d : status.destinations()) {
      if (d.circuitOpen() && d.openSince() != null) {
        Duration open = Duration.between(d.openSince(), now);
        if (open.compareTo(circuitOpenLimit) > 0) {
          reasons.add("circuit to " + d.address() + " open for " + open.toSeconds() + "s");
        }
      }
    }
    return reasons.isEmpty() ? Check.UP : new Check(false, reasons);
  }

  /**
   * The answer of one check.
   *
   * @param up whether the check passed
   * @param reasons why it did not; empty when it did
   */
  public record Check(boolean up, List<String> reasons) {
    static final Check UP = new Check(true, List.of());

    public Check {
      reasons = List.copyOf(reasons);
    }

    static Check down(String reason) {
      return new Check(false, List.of(reason));
    }
  }
}
