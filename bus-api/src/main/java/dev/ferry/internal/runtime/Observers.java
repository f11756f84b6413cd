package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;
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
    return () -> {
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (RuntimeException e) {
          log.warn("Closing a handling scope of a message observer failed", e);
        }
      }
    };
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
