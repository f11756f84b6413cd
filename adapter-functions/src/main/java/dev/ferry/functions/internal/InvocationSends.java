package dev.ferry.functions.internal;

import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;

/**
 * Whether the current invocation sent anything. The pipeline runs an invocation's handlers on the
 * invoking thread and reports their sends there when their unit of work commits, so an invocation
 * that sent nothing can return without a flush, which would cost a store round trip.
 */
public final class InvocationSends implements MessageObserver {
  private final ThreadLocal<boolean[]> current = new ThreadLocal<>();

  /** Starts watching the calling thread's sends. */
  public void begin() {
    current.set(new boolean[1]);
  }

  /** Stops watching; true if a message was sent (or the thread was not watched). */
  public boolean end() {
    boolean[] sent = current.get();
    current.remove();
    return sent == null || sent[0];
  }

  @Override
  public void sent(OutgoingEnvelope outgoing) {
    boolean[] sent = current.get();
    if (sent != null) {
      sent[0] = true;
    }
  }
}
