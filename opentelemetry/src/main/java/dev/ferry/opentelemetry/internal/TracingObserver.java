package dev.ferry.opentelemetry.internal;

import static dev.ferry.opentelemetry.internal.Semconv.ATTEMPT;
import static dev.ferry.opentelemetry.internal.Semconv.BODY_SIZE;
import static dev.ferry.opentelemetry.internal.Semconv.CONVERSATION_ID;
import static dev.ferry.opentelemetry.internal.Semconv.DESTINATION_NAME;
import static dev.ferry.opentelemetry.internal.Semconv.ERROR_TYPE;
import static dev.ferry.opentelemetry.internal.Semconv.MESSAGE_ID;
import static dev.ferry.opentelemetry.internal.Semconv.MESSAGE_TYPE;
import static dev.ferry.opentelemetry.internal.Semconv.MESSAGING_SYSTEM;
import static dev.ferry.opentelemetry.internal.Semconv.OPERATION_NAME;
import static dev.ferry.opentelemetry.internal.Semconv.OPERATION_TYPE;
import static dev.ferry.opentelemetry.internal.Semconv.REASON;
import static dev.ferry.opentelemetry.internal.Semconv.SUBSCRIPTION_NAME;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.SendScope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;

/**
 * Spans for what the bus does with each message, after the messaging semantic conventions:
 *
 * <ul>
 *   <li>{@code send|publish|schedule <destination>} (PRODUCER, operation type {@code create}) when
 *       a message is sent, a child of the current context (an HTTP request's span, or the handling
 *       span of the message whose handler sends it). Its context is what the envelope carries, so
 *       it is stored in the outbox row with the business transaction and survives a restart.
 *   <li>{@code relay <destination>} (CLIENT, operation type {@code send}) when the transport
 *       accepted the message, a child of the stored context.
 *   <li>{@code process <endpoint>} (CONSUMER) around each handling attempt, a child of the
 *       envelope's context and current while the handlers run; ERROR with the exception when the
 *       attempt failed.
 *   <li>{@code settle <endpoint>} when the message was handled or dropped, {@code dead-letter
 *       <endpoint>} (ERROR, with the reason) when it was dead-lettered: children of the last
 *       handling span when it ended on the same thread, else of the envelope's context.
 * </ul>
 */
public final class TracingObserver implements MessageObserver {
  private final Tracer tracer;

  public TracingObserver(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(FerryTelemetry.INSTRUMENTATION_NAME);
  }

  @Override
  public SendScope sending(Envelope envelope, Address destination) {
    String operation = operationOf(envelope, destination);
    Span span =
        messageSpan(operation, destination, envelope, SpanKind.PRODUCER, Context.current())
            .setAttribute(OPERATION_TYPE, "create")
            .startSpan();
    if (!span.getSpanContext().isValid()) {
      // No SDK (or not sampled into a valid context): Ferry's own trace context stays.
      span.end();
      return SendScope.NONE;
    }
    Map<String, String> carrier = EnvelopeContext.inject(Context.root().with(span));
    return new ProducerScope(
        span, EnvelopeContext.traceParent(carrier), EnvelopeContext.traceState(carrier));
  }

  private static String operationOf(Envelope envelope, Address destination) {
    if (envelope.scheduledFor() != null) {
      return "schedule";
    }
    return destination.kind() == Address.Kind.QUEUE ? "send" : "publish";
  }

  /** The producer span of one message being sent. */
  private record ProducerScope(Span span, String traceParent, String traceState)
      implements SendScope {
    @Override
    public void failed(Throwable failure) {
      recordFailure(span, failure);
    }

    @Override
    public void close() {
      span.end();
    }
  }

  @Override
  public void delivered(OutgoingEnvelope outgoing) {
    Envelope e = outgoing.envelope();
    messageSpan("relay", outgoing.destination(), e, SpanKind.CLIENT, EnvelopeContext.extract(e))
        .setAttribute(OPERATION_TYPE, "send")
        .startSpan()
        .end();
  }

  @Override
  public HandlingScope around(Envelope envelope, Address endpoint, int attempt) {
    Span span =
        messageSpan(
                "process", endpoint, envelope, SpanKind.CONSUMER, EnvelopeContext.extract(envelope))
            .setAttribute(OPERATION_TYPE, "process")
            .setAttribute(ATTEMPT, (long) attempt)
            .startSpan();
    Scope current = span.makeCurrent();
    return new ConsumerScope(envelope.id(), span, current);
  }

  /**
   * The handling spans that ended last on this thread, by message id: the message is settled on the
   * same thread right after (after its commit), and its settle span is the handling span's child.
   * Bounded: a batch's messages settle together, and an attempt that failed never settles.
   */
  private static final ThreadLocal<Map<String, Context>> LAST_HANDLED =
      ThreadLocal.withInitial(
          () ->
              new java.util.LinkedHashMap<>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
                  return size() > 64;
                }
              });

  /** The consumer span of one handling attempt, current on the handling thread. */
  private record ConsumerScope(String messageId, Span span, Scope current)
      implements HandlingScope {
    @Override
    public void failed(Throwable failure) {
      recordFailure(span, failure);
    }

    @Override
    public void close() {
      current.close();
      span.end();
      LAST_HANDLED.get().put(messageId, Context.root().with(span));
    }
  }

  /** The handling span's context when it ended on this thread, else the envelope's. */
  private static Context settleParent(Envelope envelope) {
    Context handled = LAST_HANDLED.get().remove(envelope.id());
    return handled != null ? handled : EnvelopeContext.extract(envelope);
  }

  @Override
  public void handled(Envelope envelope, Address endpoint) {
    settle(envelope, endpoint, null);
  }

  @Override
  public void dropped(Envelope envelope, Address endpoint, String reason) {
    settle(envelope, endpoint, reason);
  }

  private void settle(Envelope envelope, Address endpoint, String reason) {
    SpanBuilder b =
        messageSpan("settle", endpoint, envelope, SpanKind.CLIENT, settleParent(envelope))
            .setAttribute(OPERATION_TYPE, "settle");
    if (reason != null) {
      b.setAttribute(REASON, reason);
    }
    b.startSpan().end();
  }

  @Override
  public void deadLettered(DeadLetter deadLetter) {
    Envelope e = deadLetter.envelope();
    Address endpoint = endpointOf(deadLetter.endpoint());
    Span span =
        messageSpan("dead-letter", endpoint, e, SpanKind.CLIENT, settleParent(e))
            .setAttribute(OPERATION_TYPE, "settle")
            .setAttribute(REASON, deadLetter.reason())
            .setAttribute(ATTEMPT, (long) deadLetter.attempts())
            .startSpan();
    span.setStatus(StatusCode.ERROR, deadLetter.reason());
    if (deadLetter.exceptionType() != null) {
      span.setAttribute(ERROR_TYPE, deadLetter.exceptionType());
    }
    span.end();
  }

  private static Address endpointOf(String text) {
    try {
      return text == null ? null : Address.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private SpanBuilder messageSpan(
      String operation, Address address, Envelope e, SpanKind kind, Context parent) {
    SpanBuilder b =
        tracer
            .spanBuilder(operation + " " + Semconv.destinationName(address))
            .setSpanKind(kind)
            .setParent(parent)
            .setAttribute(MESSAGING_SYSTEM, Semconv.system(address))
            .setAttribute(OPERATION_NAME, operation)
            .setAttribute(DESTINATION_NAME, Semconv.destinationName(address))
            .setAttribute(MESSAGE_ID, e.id())
            .setAttribute(BODY_SIZE, (long) e.body().length);
    if (address != null && address.subscription() != null) {
      b.setAttribute(SUBSCRIPTION_NAME, address.subscription());
    }
    if (e.messageType() != null) {
      b.setAttribute(MESSAGE_TYPE, e.messageType());
    }
    if (e.correlationId() != null) {
      b.setAttribute(CONVERSATION_ID, e.correlationId());
    }
    return b;
  }

  private static void recordFailure(Span span, Throwable failure) {
    span.recordException(failure);
    span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    span.setAttribute(ERROR_TYPE, failure.getClass().getName());
  }
}
