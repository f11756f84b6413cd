package dev.ferry.opentelemetry.internal;

import dev.ferry.Envelope;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The W3C trace context an envelope carries, read and written with the W3C propagator: the
 * envelope's fields are W3C's whatever propagators the application configured for HTTP.
 */
final class EnvelopeContext {
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private EnvelopeContext() {}

  private static final TextMapGetter<Envelope> GETTER =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings(
            "deprecation") // still abstract in the API; the W3C propagator never calls it
        public Iterable<String> keys(Envelope carrier) {
          return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(Envelope carrier, String key) {
          if (carrier == null) {
            return null;
          }
          return switch (key) {
            case TRACEPARENT -> carrier.traceParent();
            case TRACESTATE -> carrier.traceState();
            default -> null;
          };
        }
      };

  /** The envelope's context as a remote parent; the root context when it carries none. */
  static Context extract(Envelope envelope) {
    if (envelope.traceParent() == null) {
      return Context.root();
    }
    return W3C.extract(Context.root(), envelope, GETTER);
  }

  /** The {@code traceparent} and {@code tracestate} of a context's span, as W3C writes them. */
  static Map<String, String> inject(Context context) {
    Map<String, String> carrier = new HashMap<>(4);
    W3C.inject(context, carrier, Map::put);
    return carrier;
  }

  static String traceState(Map<String, String> carrier) {
    return carrier.get(TRACESTATE);
  }
}
