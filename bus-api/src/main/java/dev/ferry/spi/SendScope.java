package dev.ferry.spi;

/**
 * What an observer opens when a message is about to be sent ({@link MessageObserver#sending}), e.g.
 * a producer span. It may give the message its own W3C trace context, which the envelope then
 * carries through the outbox and the transport, so that the receiving side continues the trace.
 * Closed on the thread that opened it once the message is stored (or, for a message sent while
 * handling another, once it is enlisted in the handling's unit of work).
 */
public interface SendScope extends AutoCloseable {

  /** A scope that does nothing and keeps Ferry's own trace context. */
  SendScope NONE = () -> {};

  /** The {@code traceparent} the envelope carries instead of Ferry's own; null keeps Ferry's. */
  default String traceParent() {
    return null;
  }

  /** The {@code tracestate} to go with {@link #traceParent()}. */
  default String traceState() {
    return null;
  }

  /** Storing the message failed with this exception; called before {@link #close()}. */
  default void failed(Throwable failure) {}

  /** Ends the scope; must not throw. */
  @Override
  void close();
}
