package dev.ferry.spi.support;

import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import java.util.List;

/**
 * A transport's own ways of settling a received message {@code M}, which {@link Settlements} calls
 * to carry out the runtime's decisions. A method that throws leaves the message unsettled (the
 * broker redelivers it in its own time) and stops the settlement of the call.
 */
public interface NativeSettlement<M> {

  /** Done with the message: acknowledge it. */
  void acknowledge(M message) throws Exception;

  /** Deliver it again after the requeue's delay, carrying its attempts where possible. */
  void requeue(M message, Delivery delivery, Decision.Requeue requeue) throws Exception;

  /** Move it to the native dead-letter queue. */
  void deadLetter(M message, Delivery delivery, Decision.DeadLetter deadLetter) throws Exception;

  /**
   * Give every message of the call back, to be delivered again after the pause, without counting
   * the redelivery as an attempt where the transport can.
   */
  void redeliverAll(List<M> messages, Decision.RedeliverBatch redeliver) throws Exception;

  /**
   * Whether {@link #deadLetter} works; otherwise a native dead letter is logged and acknowledged.
   */
  default boolean hasNativeDeadLetter() {
    return false;
  }
}
