package dev.ferry.opentelemetry.internal;

import dev.ferry.BusStatus;
import dev.ferry.MessageBus;
import dev.ferry.StoreGauges;
import dev.ferry.opentelemetry.FerryTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.BatchCallback;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges of one bus, read at each collection with one {@link MessageBus#storeGauges()} and one
 * {@link MessageBus#status()} for all of them.
 */
public final class BusGauges {
  private static final Logger log = LoggerFactory.getLogger(BusGauges.class);

  private BusGauges() {}

  public static AutoCloseable register(OpenTelemetry openTelemetry, MessageBus bus) {
    Meter meter = openTelemetry.getMeter(FerryTelemetry.INSTRUMENTATION_NAME);
    ObservableLongMeasurement outboxDepth =
        longGauge(meter, "ferry.outbox.depth", "Outgoing messages due and not yet sent");
    ObservableDoubleMeasurement oldest =
        meter
            .gaugeBuilder("ferry.outbox.oldest_age")
            .setDescription("How long the oldest due outgoing message has waited")
            .setUnit("s")
            .buildObserver();
    ObservableLongMeasurement scheduled =
        longGauge(meter, "ferry.outbox.scheduled", "Outgoing messages due later");
    ObservableLongMeasurement inbox =
        longGauge(meter, "ferry.inbox.depth", "Handled ids kept for duplicate detection");
    ObservableLongMeasurement deadLetters =
        longGauge(meter, "ferry.dead_letters", "Dead letters in the store");
    ObservableLongMeasurement circuitOpen =
        longGauge(meter, "ferry.circuit.open", "1 while the circuit to a destination is open");
    ObservableLongMeasurement pending =
        longGauge(meter, "ferry.sender.pending", "Messages a destination's sender holds");
    ObservableLongMeasurement paused =
        longGauge(meter, "ferry.listeners.paused", "Listeners holding or not attached");
    Attributes service = Attributes.of(Semconv.SERVICE, bus.serviceName());
    BatchCallback callback =
        meter.batchCallback(
            () -> {
              try {
                StoreGauges g = bus.storeGauges();
                outboxDepth.record(g.outboxDepth(), service);
                oldest.record(g.oldestOutgoingAge().toNanos() / 1e9, service);
                scheduled.record(g.scheduled(), service);
                inbox.record(g.inboxDepth(), service);
                deadLetters.record(g.deadLetters(), service);
              } catch (RuntimeException e) {
                log.debug("Store gauges unavailable: {}", e.toString());
              }
              BusStatus status = bus.status();
              long notListening = 0;
              for (BusStatus.Listening l : status.listeners()) {
                if (l.holding() || !l.attached()) {
                  notListening++;
                }
              }
              paused.record(notListening, service);
              for (BusStatus.Destination d : status.destinations()) {
                Attributes a =
                    service.toBuilder()
                        .put(Semconv.DESTINATION_NAME, d.address().toString())
                        .build();
                circuitOpen.record(d.circuitOpen() ? 1 : 0, a);
                pending.record(d.pending(), a);
              }
            },
            outboxDepth,
            oldest,
            scheduled,
            inbox,
            deadLetters,
            circuitOpen,
            pending,
            paused);
    return callback::close;
  }

  private static ObservableLongMeasurement longGauge(Meter meter, String name, String text) {
    return meter.gaugeBuilder(name).ofLongs().setDescription(text).buildObserver();
  }
}
