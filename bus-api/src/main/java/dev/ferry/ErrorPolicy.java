package dev.ferry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to do when a handler fails: a sequence of steps, one per failed attempt, ending in dead
 * letter (the default) or discard. Every operation has one name: {@link Builder#retry} first or
 * later, {@code then...} for the others, and {@link Builder#thenDeadLetter()} or {@link
 * Builder#thenDiscard()} at the end (alone, they act on the first failure).
 *
 * <pre>{@code
 * ErrorPolicy.on(SQLTransientException.class)
 *     .retry(2)                                                  // attempts 2 and 3 at once
 *     .thenBackoff(3, Duration.ofMillis(100), Duration.ofSeconds(5)) // 3 more, exponential + jitter
 *     .thenScheduleRetry(Duration.ofMinutes(5))                  // a later copy, not blocking a thread
 *     .thenDeadLetter();
 * }</pre>
 *
 * <p>A policy matches when the failure, or any of its causes, is an instance of one of its
 * exception types, and (if given) the message is of one of its message types. Policies scoped to
 * message types are consulted before general ones, then in registration order; the first match
 * wins. Without a match the default applies: 3 immediate retries, then dead letter. Messages that
 * can never succeed (malformed, unknown type, no handler) are dead-lettered at once, whatever the
 * policies say.
 */
public final class ErrorPolicy {

  /** What one step does. */
  public enum Action {
    /** Run the handler again at once, on the same thread. */
    RETRY,
    /** Wait, then run the handler again on the same thread. */
    RETRY_AFTER,
    /**
     * Give the message back to the transport, to be delivered again after the step's delay (at once
     * when it is zero); the handling thread is not held, and the next delivery carries the failed
     * attempts so far ({@link dev.ferry.spi.Decision.Requeue}).
     */
    REQUEUE,
    /** Acknowledge it and send a copy that is delivered after a delay. */
    SCHEDULE_RETRY,
    /** Move it to the dead letters with the failure. */
    DEAD_LETTER,
    /** Drop it, logging the failure. */
    DISCARD
  }

  /**
   * One step of a policy.
   *
   * @param action what to do
   * @param delay the wait for {@link Action#RETRY_AFTER}, {@link Action#REQUEUE} and {@link
   *     Action#SCHEDULE_RETRY}
   * @param jitter whether the delay is randomised (exponential backoff)
   */
  public record Step(Action action, Duration delay, boolean jitter) {
    public Step {
      Objects.requireNonNull(action, "action");
      delay = delay == null ? Duration.ZERO : delay;
    }
  }

  private final List<Class<? extends Throwable>> exceptionTypes;
  private final Set<Class<?>> messageTypes;
  private final List<Step> steps;
  private final Action terminal;

  private ErrorPolicy(Builder b, Action terminal) {
    this.exceptionTypes = List.copyOf(b.exceptionTypes);
    this.messageTypes = Set.copyOf(b.messageTypes);
    this.steps = List.copyOf(b.steps);
    this.terminal = terminal;
  }

  /** Starts a policy for failures of these exception types (and their subclasses). */
  @SafeVarargs
  public static Builder on(Class<? extends Throwable>... exceptionTypes) {
    if (exceptionTypes.length == 0) {
      throw new IllegalArgumentException("Name at least one exception type (Throwable for all)");
    }
    // Read element by element: handing the generic array on would let it escape.
    List<Class<? extends Throwable>> types = new ArrayList<>(exceptionTypes.length);
    for (Class<? extends Throwable> type : exceptionTypes) {
      types.add(type);
    }
    return new Builder(types);
  }

  /** 3 immediate retries, then dead letter: used when no policy matches. */
  public static ErrorPolicy defaultPolicy() {
    return on(Throwable.class).retry(3).thenDeadLetter();
  }

  public List<Class<? extends Throwable>> exceptionTypes() {
    return exceptionTypes;
  }

  /** Empty means every message type. */
  public Set<Class<?>> messageTypes() {
    return messageTypes;
  }

  /** The steps for failures 1, 2, ... before the terminal action. */
  public List<Step> steps() {
    return steps;
  }

  /** {@link Action#DEAD_LETTER} or {@link Action#DISCARD}, once the steps are used up. */
  public Action terminal() {
    return terminal;
  }

  /** True if the failure or one of its causes is of a type this policy names. */
  public boolean matches(Throwable failure, Class<?> messageType) {
    if (!messageTypes.isEmpty()
        && (messageType == null
            || messageTypes.stream().noneMatch(t -> t.isAssignableFrom(messageType)))) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<? extends Throwable> type : exceptionTypes) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "ErrorPolicy{on="
        + exceptionTypes
        + ", messages="
        + messageTypes
        + ", steps="
        + steps
        + ", then="
        + terminal
        + "}";
  }

  /**
   * Builds an {@link ErrorPolicy}; end with {@link #thenDeadLetter()} or {@link #thenDiscard()}.
   */
  public static final class Builder {
    private final List<Class<? extends Throwable>> exceptionTypes;
    private final List<Class<?>> messageTypes = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();

    private Builder(List<Class<? extends Throwable>> exceptionTypes) {
      exceptionTypes.forEach(t -> Objects.requireNonNull(t, "exception type"));
      this.exceptionTypes = List.copyOf(exceptionTypes);
    }

    /** Restricts the policy to these message types (and their subtypes). */
    public Builder forMessages(Class<?>... types) {
      messageTypes.addAll(Arrays.asList(types));
      return this;
    }

    /** Retries at once, {@code times} times. */
    public Builder retry(int times) {
      return add(times, Action.RETRY, Duration.ZERO, false);
    }

    /** One in-process retry after each of the given delays. */
    public Builder thenRetryAfter(Duration... delays) {
      for (Duration d : delays) {
        add(1, Action.RETRY_AFTER, positive(d), false);
      }
      return this;
    }

    /**
     * {@code times} in-process retries with exponential backoff (initial, 2x, 4x... capped at
     * {@code max}), each delay randomised within its upper half so that competing consumers do not
     * retry in lockstep.
     */
    public Builder thenBackoff(int times, Duration initial, Duration max) {
      positive(initial);
      positive(max);
      Duration d = initial;
      for (int i = 0; i < times; i++) {
        add(1, Action.RETRY_AFTER, d.compareTo(max) > 0 ? max : d, true);
        d = d.multipliedBy(2);
      }
      return this;
    }

    /**
     * Gives the message back to the transport to be delivered again at once, {@code times} times.
     * Where the broker counts deliveries, each counts as one.
     */
    public Builder thenRequeue(int times) {
      return add(times, Action.REQUEUE, Duration.ZERO, false);
    }

    /**
     * Gives the message back to the transport once per delay, to be delivered again when the delay
     * has passed; the handling thread is not held meanwhile. JMS (Artemis) and Service Bus deliver
     * it after the delay; a transport that cannot delay a redelivery (the Azure Functions trigger,
     * whose host settles the message) delivers it again at once.
     */
    public Builder thenRequeueAfter(Duration... delays) {
      for (Duration d : delays) {
        add(1, Action.REQUEUE, positive(d), false);
      }
      return this;
    }

    /** After each delay, a copy is delivered again; the thread is not held while waiting. */
    public Builder thenScheduleRetry(Duration... delays) {
      for (Duration d : delays) {
        add(1, Action.SCHEDULE_RETRY, positive(d), false);
      }
      return this;
    }

    /** Once the steps are used up (with none, on the first failure): dead letter. */
    public ErrorPolicy thenDeadLetter() {
      return new ErrorPolicy(this, Action.DEAD_LETTER);
    }

    /** Once the steps are used up (with none, on the first failure): drop, logging the failure. */
    public ErrorPolicy thenDiscard() {
      return new ErrorPolicy(this, Action.DISCARD);
    }

    private Builder add(int times, Action action, Duration delay, boolean jitter) {
      if (times < 0) {
        throw new IllegalArgumentException("times must be >= 0: " + times);
      }
      for (int i = 0; i < times; i++) {
        steps.add(new Step(action, delay, jitter));
      }
      return this;
    }

    /** A delay of zero is no delay: the steps without one (retry, thenRequeue) say that. */
    private static Duration positive(Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("delay must be positive: " + d);
      }
      return d;
    }
  }
}
