package dev.ferry.benchmarks;

/** One way of moving messages from producers to consumers, measured end to end. */
interface Scenario extends AutoCloseable {
  String name();

  /**
   * Moves {@code messages} messages and measures. With {@code ratePerSecond} 0 the producers go as
   * fast as they can (saturation); otherwise they offer that rate.
   */
  Result run(int messages, int ratePerSecond) throws Exception;

  @Override
  default void close() throws Exception {}
}
