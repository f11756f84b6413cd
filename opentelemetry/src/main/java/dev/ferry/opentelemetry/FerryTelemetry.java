package dev.ferry.opentelemetry;

import dev.ferry.MessageBus;
import dev.ferry.opentelemetry.internal.BusGauges;
import dev.ferry.opentelemetry.internal.MetricsObserver;
import dev.ferry.opentelemetry.internal.TracingObserver;
import dev.ferry.spi.MessageObserver;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * OpenTelemetry for a Ferry bus: spans following the messaging semantic conventions (a producer
 * span at each send, publish and schedule whose context the message carries through the outbox and
 * the broker, a relay span when the relay hands it to the broker, a consumer span around each
 * handling attempt ending with a settle event, dead-letter spans) and metrics (message counters per
 * endpoint and type, latencies, and the bus's gauges).
 *
 * <p>Built on the OpenTelemetry API only: with no SDK installed, everything is a no-op.
 *
 * <pre>{@code
 * FerryTelemetry telemetry = FerryTelemetry.create(openTelemetry);
 * MessageBus bus = MessageBus.builder().observer(telemetry.observer()).build();
 * AutoCloseable gauges = telemetry.observe(bus); // outbox depth, circuits, ...
 * }</pre>
 */
public final class FerryTelemetry {
  /** The instrumentation scope name of Ferry's tracer and meter. */
  public static final String INSTRUMENTATION_NAME = "dev.ferry";

  private final OpenTelemetry openTelemetry;
  private final boolean tracing;
  private final boolean metrics;

  private FerryTelemetry(OpenTelemetry openTelemetry, boolean tracing, boolean metrics) {
    this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    this.tracing = tracing;
    this.metrics = metrics;
  }

  /** Traces and metrics through this OpenTelemetry instance. */
  public static FerryTelemetry create(OpenTelemetry openTelemetry) {
    return new FerryTelemetry(openTelemetry, true, true);
  }

  /** The same without spans (metrics only), or with them again. */
  public FerryTelemetry tracing(boolean enabled) {
    return new FerryTelemetry(openTelemetry, enabled, metrics);
  }

  /** The same without metrics (spans only), or with them again. */
  public FerryTelemetry metrics(boolean enabled) {
    return new FerryTelemetry(openTelemetry, tracing, enabled);
  }

  /** The observer to install with {@link dev.ferry.BusBuilder#observer(MessageObserver)}. */
  public MessageObserver observer() {
    MessageObserver spans = tracing ? new TracingObserver(openTelemetry) : new MessageObserver() {};
    return metrics ? new MetricsObserver(openTelemetry, spans) : spans;
  }

  /**
   * Registers the gauges of a running bus (outbox depth and oldest age, scheduled messages, inbox,
   * dead letters, open circuits per destination, holding listeners); read from the bus at each
   * collection. Close the result before closing the bus.
   */
  public AutoCloseable observe(MessageBus bus) {
    if (!metrics) {
      return () -> {};
    }
    return BusGauges.register(openTelemetry, bus);
  }
}
