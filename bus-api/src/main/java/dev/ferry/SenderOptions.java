package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;
import java.time.Duration;

/**
 * How outgoing messages reach the transport, per destination; for {@link
 * BusBuilder#sender(SenderOptions)}. Immutable: each setter returns a new instance, and only the
 * values set override configuration.
 */
public final class SenderOptions extends BusOptions<SenderOptions> {
  private static final SenderOptions DEFAULTS = new SenderOptions(new ConfigOverrides());

  private SenderOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static SenderOptions defaults() {
    return DEFAULTS;
  }

  @Override
  SenderOptions create(ConfigOverrides values) {
    return new SenderOptions(values);
  }

  /** {@code ferry.sender.batch-size}: messages sent to one destination in one batch at most. */
  public SenderOptions batchSize(int size) {
    return with(FerryKeys.SENDER_BATCH_SIZE, size);
  }

  /** {@code ferry.sender.parallelism}: sender loops per destination; 1 keeps the send order. */
  public SenderOptions parallelism(int loops) {
    return with(FerryKeys.SENDER_PARALLELISM, loops);
  }

  /** {@code ferry.sender.buffer}: messages buffered per destination before senders wait. */
  public SenderOptions buffer(int messages) {
    return with(FerryKeys.SENDER_BUFFER, messages);
  }

  /** {@code ferry.sender.max-destinations}: destinations with live senders at once. */
  public SenderOptions maxDestinations(int destinations) {
    return with(FerryKeys.SENDER_MAX_DESTINATIONS, destinations);
  }

  /** {@code ferry.sender.timeout}: how long a caller waits for room in a full buffer. */
  public SenderOptions timeout(Duration timeout) {
    return with(FerryKeys.SEND_TIMEOUT, timeout);
  }

  /** {@code ferry.sender.circuit-breaker.failures}: failures in a row that open the circuit. */
  public SenderOptions circuitBreakerFailures(int failures) {
    return with(FerryKeys.CIRCUIT_FAILURES, failures);
  }

  /** {@code ferry.sender.circuit-breaker.probe-interval}: how often an open circuit probes. */
  public SenderOptions circuitBreakerProbeInterval(Duration interval) {
    return with(FerryKeys.CIRCUIT_PROBE, interval);
  }
}
