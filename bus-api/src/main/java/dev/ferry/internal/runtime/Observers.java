package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.SendScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to observers; one failing observer never disturbs message handling. */
final class Observers implements MessageObserver {
  private static final Logger log = LoggerFactory.getLogger(Observers.class);
  private final List<MessageObserver> observers;

  Observers(List<MessageObserver> observers) {
    this.observers = List.copyOf(observers);
  }

  private void each(Consumer<MessageObserver> call) {
    for (MessageObserver o : observers) {
      try {
        call.accept(o);
      } catch (RuntimeException | Error e) {
        log.warn("Message observer {} failed", o, e);
      }
    }
  }

  /**
   * Opens every observer's send scope in order, each seeing the trace context the previous ones
   * gave; the returned scope carries the last context given and closes them in reverse order.
   */
  @Override
  public SendScope sending(Envelope envelope, Address destination) {
    if (observers.isEmpty()) {
      return SendScope.NONE;
    }
    List<SendScope> open = new ArrayList<>(observers.size());
    Envelope current = envelope;
    String traceParent = null;
    String traceState = null;
    for (int i = 0; i < observers.size(); i++) {
      MessageObserver o = observers.get(i);
      try {
        SendScope scope = o.sending(current, destination);
        if (scope == null) {
          continue;
        }
        open.add(scope);
        if (scope.traceParent() != null) {
          traceParent = scope.traceParent();
          traceState = scope.traceState();
          if (i < observers.size() - 1) { // the next observer sees it
            current = current.toBuilder().traceParent(traceParent).traceState(traceState).build();
          }
        }
      } catch (RuntimeException e) {
        log.warn("Message observer {} failed to open a send scope", o, e);
      }
    }
    return new Sending(List.copyOf(open), traceParent, traceState);
  }

  /** The scopes of every observer for one message being sent. */
  private record Sending(List<SendScope> open, String traceParent, String traceState)
      implements SendScope {
    @Override
    public void failed(Throwable failure) {
      inReverse(open, s -> s.failed(failure), "record a failure in a send scope");
    }

    @Override
    public void close() {
      inReverse(open, SendScope::close, "close a send scope");
    }
  }

  /** The envelope with the trace context a send scope gave it, if any. */
  static OutgoingEnvelope traced(OutgoingEnvelope outgoing, SendScope scope) {
    if (scope.traceParent() == null) {
      return outgoing;
    }
    Envelope e =
        outgoing.envelope().toBuilder()
            .traceParent(scope.traceParent())
            .traceState(scope.traceState())
            .build();
    return new OutgoingEnvelope(e, outgoing.destination(), outgoing.dueAt());
  }

  @Override
  public void sent(OutgoingEnvelope outgoing) {
    each(o -> o.sent(outgoing));
  }

  @Override
  public void delivered(OutgoingEnvelope outgoing) {
    each(o -> o.delivered(outgoing));
  }

  @Override
  public void received(Envelope envelope, Address endpoint, int attempt) {
    each(o -> o.received(envelope, endpoint, attempt));
  }

  /** Opens every observer's scope; the returned one closes them in reverse order. */
  @Override
  public HandlingScope around(Envelope envelope, Address endpoint, int attempt) {
    if (observers.isEmpty()) {
      return HandlingScope.NONE;
    }
    List<HandlingScope> open = new ArrayList<>(observers.size());
    for (MessageObserver o : observers) {
      try {
        HandlingScope scope = o.around(envelope, endpoint, attempt);
        if (scope != null) {
          open.add(scope);
        }
      } catch (RuntimeException e) {
        log.warn("Message observer {} failed to open a scope", o, e);
      }
    }
    return new Handling(List.copyOf(open));
  }

  /** The scopes of every observer around one handling attempt. */
  private record Handling(List<HandlingScope> open) implements HandlingScope {
    @Override
    public void failed(Throwable failure) {
      inReverse(open, s -> s.failed(failure), "record a failure in a handling scope");
    }

    @Override
    public void close() {
      inReverse(open, HandlingScope::close, "close a handling scope");
    }
  }

  /** Runs {@code action} on the scopes, the last opened first; one that throws is logged. */
  private static <S> void inReverse(
      List<S> scopes, java.util.function.Consumer<S> action, String what) {
    for (int i = scopes.size() - 1; i >= 0; i--) {
      try {
        action.accept(scopes.get(i));
      } catch (RuntimeException e) {
        log.warn("A message observer failed to {}", what, e);
      }
    }
  }

  @Override
  public void handled(Envelope envelope, Address endpoint) {
    each(o -> o.handled(envelope, endpoint));
  }

  @Override
  public void failed(Envelope envelope, Address endpoint, Throwable failure, int attempt) {
    each(o -> o.failed(envelope, endpoint, failure, attempt));
  }

  @Override
  public void deadLettered(DeadLetter deadLetter) {
    each(o -> o.deadLettered(deadLetter));
  }

  @Override
  public void dropped(Envelope envelope, Address endpoint, String reason) {
    each(o -> o.dropped(envelope, endpoint, reason));
  }
}
