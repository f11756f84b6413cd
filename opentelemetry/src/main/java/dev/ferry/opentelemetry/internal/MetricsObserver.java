package dev.ferry.opentelemetry.internal;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.Reasons;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.SendScope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message counters per endpoint (or destination) and message type, and latency histograms; hands
 * every event on to the observer it wraps (the spans), so that one observer does both.
 */
public final class MetricsObserver implements MessageObserver {
  private final MessageObserver next;
  private final LongCounter sent;
  private final LongCounter delivered;
  private final LongCounter received;
  private final LongCounter retried;
  private final LongCounter handled;
  private final LongCounter failed;
  private final LongCounter deadLettered;
  private final LongCounter duplicates;
  private final LongCounter expired;
  private final LongCounter discarded;
  private final DoubleHistogram handlingTime;
  private final DoubleHistogram latency;
  private final DoubleHistogram outboxDwell;

  /** One attribute set per destination and type: made once, not per message. */
  private final Map<Key, Attributes> attributes = new ConcurrentHashMap<>();

  private record Key(Address destination, String type) {}

  public MetricsObserver(OpenTelemetry openTelemetry, MessageObserver next) {
    this.next = next;
    Meter meter = openTelemetry.getMeter(FerryTelemetry.INSTRUMENTATION_NAME);
    sent = counter(meter, "ferry.messages.sent", "Messages accepted for sending (stored)");
    delivered = counter(meter, "ferry.messages.delivered", "Messages the transport accepted");
    received = counter(meter, "ferry.messages.received", "Messages received (first attempts)");
    retried = counter(meter, "ferry.messages.retried", "Handling attempts after a failure");
    handled = counter(meter, "ferry.messages.handled", "Messages handled and committed");
    failed = counter(meter, "ferry.messages.failed", "Handling attempts that failed");
    deadLettered = counter(meter, "ferry.messages.dead_lettered", "Messages dead-lettered");
    duplicates = counter(meter, "ferry.messages.duplicates", "Duplicates skipped by the inbox");
    expired = counter(meter, "ferry.messages.expired", "Messages dropped unhandled as expired");
    discarded = counter(meter, "ferry.messages.discarded", "Messages discarded by policy");
    handlingTime = histogram(meter, "ferry.handling.duration", "Duration of one handling attempt");
    latency = histogram(meter, "ferry.message.latency", "From sent-at to handled, end to end");
    outboxDwell =
        histogram(
            meter, "ferry.outbox.dwell", "From sent-at (or due-at) to accepted by the broker");
  }

  private static LongCounter counter(Meter meter, String name, String description) {
    return meter.counterBuilder(name).setDescription(description).setUnit("{message}").build();
  }

  private static DoubleHistogram histogram(Meter meter, String name, String description) {
    return meter.histogramBuilder(name).setDescription(description).setUnit("s").build();
  }

  private Attributes attributes(Address address, Envelope e) {
    String type = e.messageType() == null ? "unknown" : e.messageType();
    return attributes.computeIfAbsent(
        new Key(address, type),
        k ->
            Attributes.of(
                Semconv.DESTINATION_NAME,
                k.destination() == null ? "local" : k.destination().toString(),
                Semconv.MESSAGE_TYPE,
                k.type()));
  }

  private static double secondsSince(Instant start, Instant now) {
    return start == null ? 0 : Math.max(0, Duration.between(start, now).toNanos() / 1e9);
  }

  @Override
  public SendScope sending(Envelope envelope, Address destination) {
    return next.sending(envelope, destination);
  }

  @Override
  public void sent(OutgoingEnvelope outgoing) {
    sent.add(1, attributes(outgoing.destination(), outgoing.envelope()));
    next.sent(outgoing);
  }

  @Override
  public void delivered(OutgoingEnvelope outgoing) {
    Envelope e = outgoing.envelope();
    Attributes a = attributes(outgoing.destination(), e);
    delivered.add(1, a);
    Instant due = outgoing.dueAt() != null ? outgoing.dueAt() : e.scheduledFor();
    Instant from = due != null && e.sentAt() != null && due.isAfter(e.sentAt()) ? due : e.sentAt();
    outboxDwell.record(secondsSince(from, Instant.now()), a);
    next.delivered(outgoing);
  }

  @Override
  public void received(Envelope envelope, Address endpoint, int attempt) {
    (attempt > 1 ? retried : received).add(1, attributes(endpoint, envelope));
    next.received(envelope, endpoint, attempt);
  }

  @Override
  public HandlingScope around(Envelope envelope, Address endpoint, int attempt) {
    HandlingScope inner = next.around(envelope, endpoint, attempt);
    long start = System.nanoTime();
    Attributes a = attributes(endpoint, envelope);
    return new HandlingScope() {
      @Override
      public void failed(Throwable failure) {
        inner.failed(failure);
      }

      @Override
      public void close() {
        handlingTime.record((System.nanoTime() - start) / 1e9, a);
        inner.close();
      }
    };
  }

  @Override
  public void handled(Envelope envelope, Address endpoint) {
    Attributes a = attributes(endpoint, envelope);
    handled.add(1, a);
    latency.record(secondsSince(envelope.sentAt(), Instant.now()), a);
    next.handled(envelope, endpoint);
  }

  @Override
  public void failed(Envelope envelope, Address endpoint, Throwable failure, int attempt) {
    failed.add(1, attributes(endpoint, envelope));
    next.failed(envelope, endpoint, failure, attempt);
  }

  @Override
  public void deadLettered(DeadLetter deadLetter) {
    Address endpoint;
    try {
      endpoint = deadLetter.endpoint() == null ? null : Address.parse(deadLetter.endpoint());
    } catch (IllegalArgumentException e) {
      endpoint = null;
    }
    deadLettered.add(1, attributes(endpoint, deadLetter.envelope()));
    next.deadLettered(deadLetter);
  }

  @Override
  public void dropped(Envelope envelope, Address endpoint, String reason) {
    Attributes a = attributes(endpoint, envelope);
    switch (reason) {
      case Reasons.DUPLICATE -> duplicates.add(1, a);
      case Reasons.EXPIRED -> expired.add(1, a);
      default -> discarded.add(1, a);
    }
    next.dropped(envelope, endpoint, reason);
  }
}
