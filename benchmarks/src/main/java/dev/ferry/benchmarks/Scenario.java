package dev.ferry.benchmarks;

/** One way of moving messages from a producer to a consumer, measured end to end. */
interface Scenario {
  String name();

  /** Moves {@code messages} messages as fast as possible and measures. */
  Result run(int messages) throws Exception;
}
