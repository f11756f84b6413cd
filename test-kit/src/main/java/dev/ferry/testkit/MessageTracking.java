package dev.ferry.testkit;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.OutgoingEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test harness: run an action that sends messages, then wait until everything it caused, the
 * cascades of cascades included, has been handled, dead-lettered or dropped.
 *
 * <pre>{@code
 * MessageTracking tracking = new MessageTracking();
 * MessageBus bus = MessageBus.builder().handlers(new Ponger()).observer(tracking).build();
 * TrackedSession session = tracking.execute(() -> bus.send(new Ping(1)));
 * assertThat(session.handled(Pong.class)).hasSize(1);
 * }</pre>
 *
 * <p>Register the same tracking with every bus of a test to follow messages across them. Only
 * messages sent on the action's thread, and what they cause (same correlation id), are tracked.
 */
public final class MessageTracking implements MessageObserver {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration QUIET = Duration.ofMillis(60);

  private final Set<TrackedSession> sessions = ConcurrentHashMap.newKeySet();
  private final ThreadLocal<TrackedSession> capturing = new ThreadLocal<>();

  /** An action that may throw. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  /** Runs the action and waits up to 10 s for everything it caused. */
  public TrackedSession execute(Action action) {
    return execute(action, DEFAULT_TIMEOUT);
  }

  /**
   * Runs the action and waits up to {@code timeout}. Throws {@link AssertionError} with the
   * session's report if work is still outstanding then.
   */
  public TrackedSession execute(Action action, Duration timeout) {
    TrackedSession session = new TrackedSession();
    sessions.add(session);
    capturing.set(session);
    try {
      action.run();
    } catch (Exception e) {
      throw new AssertionError("The tracked action failed: " + e, e);
    } finally {
      capturing.remove();
    }
    try {
      session.awaitQuiet(timeout, QUIET);
    } finally {
      sessions.remove(session);
    }
    return session;
  }

  private List<TrackedSession> sessionsFor(Envelope e) {
    List<TrackedSession> result = new ArrayList<>(1);
    for (TrackedSession s : sessions) {
      if (s.tracks(e)) {
        result.add(s);
      }
    }
    return result;
  }

  @Override
  public void sent(OutgoingEnvelope outgoing) {
    TrackedSession s = capturing.get();
    if (s != null) {
      s.adopt(outgoing.envelope().correlationId());
    }
    for (TrackedSession session : sessionsFor(outgoing.envelope())) {
      session.onSent(outgoing);
    }
  }

  @Override
  public void delivered(OutgoingEnvelope outgoing) {
    sessionsFor(outgoing.envelope()).forEach(s -> s.onDelivered(outgoing));
  }

  @Override
  public void received(Envelope envelope, Address endpoint, int attempt) {
    sessionsFor(envelope).forEach(s -> s.onReceived(envelope, endpoint, attempt));
  }

  @Override
  public void handled(Envelope envelope, Address endpoint) {
    sessionsFor(envelope).forEach(s -> s.onHandled(envelope, endpoint));
  }

  @Override
  public void failed(Envelope envelope, Address endpoint, Throwable failure, int attempt) {
    sessionsFor(envelope).forEach(s -> s.onFailed(envelope, endpoint, failure, attempt));
  }

  @Override
  public void deadLettered(DeadLetter deadLetter) {
    sessionsFor(deadLetter.envelope()).forEach(s -> s.onDeadLettered(deadLetter));
  }

  @Override
  public void dropped(Envelope envelope, Address endpoint, String reason) {
    sessionsFor(envelope).forEach(s -> s.onDropped(envelope, endpoint, reason));
  }
}
