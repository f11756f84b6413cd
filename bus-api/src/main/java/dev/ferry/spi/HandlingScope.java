package dev.ferry.spi;

/**
 * What an observer opens around one handling attempt ({@link MessageObserver#around}), e.g. a
 * tracing span made current on the handling thread. Closed on the same thread when the attempt
 * ends, successful or not; told of the failure first when it failed.
 */
@FunctionalInterface
public interface HandlingScope extends AutoCloseable {

  /** A scope that does nothing. */
  HandlingScope NONE = () -> {};

  /** The attempt failed with this exception (a handler threw); called before {@link #close()}. */
  default void failed(Throwable failure) {}

  /** Ends the scope; must not throw. */
  @Override
  void close();
}
