package dev.ferry.benchmarks;

import jakarta.jms.JMSException;

/** One way of moving messages from producers to consumers, measured end to end. */
interface Scenario extends AutoCloseable {
  String name();

  /**
   * Moves {@code messages} messages and measures. With {@code ratePerSecond} 0 the producers go as
   * fast as they can (saturation); otherwise they offer that rate.
   */
  Result run(int messages, int ratePerSecond) throws Exception;

  /** Releases the scenario's connections; JMS ones may fail to close. */
  @Override
  default void close() throws JMSException {}
}
