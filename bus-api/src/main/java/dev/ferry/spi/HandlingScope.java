package dev.ferry.spi;

/**
 * What an observer opens around one handling attempt ({@link MessageObserver#around}), e.g. a
 * tracing span made current on the handling thread. Closed on the same thread when the attempt
 * ends, successful or not.
 */
@FunctionalInterface
public interface HandlingScope extends AutoCloseable {

  /** A scope that does nothing. */
  HandlingScope NONE = () -> {};

  /** Ends the scope; must not throw. */
  @Override
  void close();
}
