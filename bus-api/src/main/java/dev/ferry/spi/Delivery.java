package dev.ferry.spi;

import dev.ferry.Address;
import dev.ferry.Envelope;

/**
 * One received message, with its history.
 *
 * <p><b>Attempts</b> are the one count of how often a message was handled and failed. A delivery's
 * {@link #priorAttempts()} are those before it: the attempts the message carries (written by
 * requeues and scheduled retries, the wire's {@code attempts}) plus one for every earlier delivery
 * of this copy that the transport counted. Handling this delivery is attempt {@code priorAttempts()
 * + 1} ({@link dev.ferry.MessageContext#attempt()}); each in-process retry adds one; a requeue
 * carries the failed attempts so far ({@link Decision.Requeue#attempts()}), and a dead letter
 * records them ({@link dev.ferry.DeadLetter#attempts()}). The error policy's step for a failure is
 * the one at the index of the failed attempts before it. Redeliveries that are not the message's
 * fault (the runtime's store was down, the listener was paused) are not attempts: a transport
 * leaves them out of {@code deliveryCount}.
 *
 * @param envelope the envelope as read from the wire; fields a foreign producer omitted are null
 * @param source where it was received
 * @param deliveryCount how often the transport delivered this copy and counted it, starting at 1; 0
 *     when unknown
 * @param malformed why the transport could not read the message, or null; such a delivery is
 *     dead-lettered with this reason and never handled
 * @param oversizeBody the size in bytes of a body over the transport's receive limit, of which the
 *     envelope carries only the first bytes; -1 when the whole body was read
 */
public record Delivery(
    Envelope envelope, Address source, int deliveryCount, String malformed, long oversizeBody) {

  public Delivery(Envelope envelope, Address source, int deliveryCount) {
    this(envelope, source, deliveryCount, null, -1);
  }

  public Delivery(Envelope envelope, Address source, int deliveryCount, String malformed) {
    this(envelope, source, deliveryCount, malformed, -1);
  }

  /**
   * A message whose body of {@code bodySize} bytes exceeds the transport's receive limit: {@code
   * truncated} carries only the body's first bytes up to the limit, and the delivery is
   * dead-lettered with {@link dev.ferry.Reasons#TOO_LARGE}, never handled.
   */
  public static Delivery oversize(
      Envelope truncated, Address source, int deliveryCount, long bodySize) {
    return new Delivery(truncated, source, deliveryCount, null, bodySize);
  }

  /** The failed handling attempts before this delivery; see the class description. */
  public int priorAttempts() {
    long prior = (long) Math.max(0, envelope.attempts()) + Math.max(0, deliveryCount - 1);
    return (int) Math.min(Integer.MAX_VALUE - 1, prior);
  }
}
