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
import io.opentelemetry.api.trace.SpanContext;
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
 *   <li>a {@code settle} event on the handling span when the message was handled and committed (the
 *       span ends then, so it covers the commit); a {@code settle <endpoint>} span when it was
 *       dropped (duplicate, expired, discarded); {@code dead-letter <endpoint>} (ERROR, with the
 *       reason) when it was dead-lettered, a child of its last failed handling span.
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
      // No SDK: a no-op span without a context; Ferry's own trace context stays.
      span.end();
      return SendScope.NONE;
    }
    SpanContext sc = span.getSpanContext();
    String traceParent =
        "00-" + sc.getTraceId() + "-" + sc.getSpanId() + "-" + sc.getTraceFlags().asHex();
    String traceState = null;
    if (!sc.getTraceState().isEmpty()) {
      traceState = EnvelopeContext.traceState(EnvelopeContext.inject(Context.root().with(span)));
    }
    return new ProducerScope(span, traceParent, traceState);
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
    Attempts attempts = ATTEMPTS.get();
    Span uncommitted = attempts.awaitingSettle.remove(envelope.id());
    if (uncommitted != null) {
      // Its handlers ran but their unit of work did not commit (the store failed): redelivered.
      uncommitted.setStatus(StatusCode.ERROR, "not committed");
      uncommitted.end();
    }
    Span span =
        messageSpan(
                "process", endpoint, envelope, SpanKind.CONSUMER, EnvelopeContext.extract(envelope))
            .setAttribute(OPERATION_TYPE, "process")
            .setAttribute(ATTEMPT, (long) attempt)
            .startSpan();
    return new ConsumerScope(envelope.id(), span, span.makeCurrent(), attempts);
  }

  /**
   * The handling attempts of one thread that wait for what follows them there: a successful one for
   * its settle (after the commit of its unit of work, on the same thread; a batch's messages settle
   * together after the batch), which ends its span; a failed one for a dead letter, whose span is
   * its child. Both bounded: an evicted span ends unsettled.
   */
  private static final class Attempts {
    final Map<String, Span> awaitingSettle =
        new java.util.LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Span> eldest) {
            if (size() <= 1024) {
              return false;
            }
            eldest.getValue().end();
            return true;
          }
        };
    final Map<String, Context> failed =
        new java.util.LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
            return size() > 64;
          }
        };
  }

  private static final ThreadLocal<Attempts> ATTEMPTS = ThreadLocal.withInitial(Attempts::new);

  /**
   * The consumer span of one handling attempt, current on the handling thread while the handlers
   * run; it ends when the message is settled, or at once when the attempt failed.
   */
  private static final class ConsumerScope implements HandlingScope {
    private final String messageId;
    private final Span span;
    private final Scope current;
    private final Attempts attempts;
    private boolean failed;

    ConsumerScope(String messageId, Span span, Scope current, Attempts attempts) {
      this.messageId = messageId;
      this.span = span;
      this.current = current;
      this.attempts = attempts;
    }

    @Override
    public void failed(Throwable failure) {
      failed = true;
      recordFailure(span, failure);
    }

    @Override
    public void close() {
      current.close();
      if (failed) {
        span.end();
        attempts.failed.put(messageId, Context.root().with(span));
      } else {
        attempts.awaitingSettle.put(messageId, span);
      }
    }
  }

  @Override
  public void handled(Envelope envelope, Address endpoint) {
    Span span = ATTEMPTS.get().awaitingSettle.remove(envelope.id());
    if (span != null) {
      span.addEvent(SETTLE_EVENT);
      span.end();
    } else {
      settleSpan(envelope, endpoint, null);
    }
  }

  /** The name of the event a handling span gets when its message is settled. */
  static final String SETTLE_EVENT = "settle";

  @Override
  public void dropped(Envelope envelope, Address endpoint, String reason) {
    settleSpan(envelope, endpoint, reason);
  }

  /** A settle of its own: a message dropped, or settled where its handling span is not known. */
  private void settleSpan(Envelope envelope, Address endpoint, String reason) {
    SpanBuilder b =
        messageSpan("settle", endpoint, envelope, SpanKind.CLIENT, failedOrSent(envelope))
            .setAttribute(OPERATION_TYPE, "settle");
    if (reason != null) {
      b.setAttribute(REASON, reason);
    }
    b.startSpan().end();
  }

  /** The context of the message's last failed attempt on this thread, else the envelope's. */
  private static Context failedOrSent(Envelope envelope) {
    Context failed = ATTEMPTS.get().failed.remove(envelope.id());
    return failed != null ? failed : EnvelopeContext.extract(envelope);
  }

  @Override
  public void deadLettered(DeadLetter deadLetter) {
    Envelope e = deadLetter.envelope();
    Address endpoint = endpointOf(deadLetter.endpoint());
    Span span =
        messageSpan("dead-letter", endpoint, e, SpanKind.CLIENT, failedOrSent(e))
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
