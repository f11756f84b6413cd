package dev.ferry.internal.runtime;

import dev.ferry.ConfigurationException;
import dev.ferry.ErrorPolicy;
import dev.ferry.ErrorPolicy.Action;
import dev.ferry.ErrorPolicy.Step;
import dev.ferry.MalformedMessageException;
import dev.ferry.NoHandlerException;
import dev.ferry.Redelivery;
import dev.ferry.UnknownMessageTypeException;
import dev.ferry.config.FerryKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/** Chooses the error policy for a failure and the step for a failed attempt. */
final class FailurePlan {
  /** Failures no retry can fix. */
  private static final ErrorPolicy HOPELESS =
      ErrorPolicy.on(
              MalformedMessageException.class,
              UnknownMessageTypeException.class,
              NoHandlerException.class)
          .thenDeadLetter();

  /**
   * The mode a value of {@code ferry.errors.redelivery} names, by {@link Redelivery#configValue}.
   */
  static Redelivery redelivery(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    for (Redelivery mode : Redelivery.values()) {
      if (mode.configValue().equals(value)) {
        return mode;
      }
    }
    throw new ConfigurationException(
        FerryKeys.REDELIVERY.name()
            + " must be one of "
            + Arrays.stream(Redelivery.values())
                .map(Redelivery::configValue)
                .collect(Collectors.joining(", "))
            + ", not '"
            + text
            + "'");
  }

  private final Redelivery redelivery;
  private final List<ErrorPolicy> scoped = new ArrayList<>();
  private final List<ErrorPolicy> general = new ArrayList<>();
  private final ErrorPolicy fallback;

  FailurePlan(List<ErrorPolicy> policies, ErrorPolicy fallback, Redelivery redelivery) {
    this.redelivery = redelivery;
    for (ErrorPolicy p : policies) {
      (p.messageTypes().isEmpty() ? general : scoped).add(p);
    }
    this.fallback = fallback;
  }

  ErrorPolicy select(Throwable failure, Class<?> messageType) {
    if (HOPELESS.matches(failure, null)) {
      return HOPELESS;
    }
    for (ErrorPolicy p : scoped) {
      if (p.matches(failure, messageType)) {
        return p;
      }
    }
    for (ErrorPolicy p : general) {
      if (p.matches(failure, messageType)) {
        return p;
      }
    }
    return fallback;
  }

  /**
   * The step for a failure, given the failed attempts before it (see {@link
   * dev.ferry.spi.Delivery#priorAttempts()}): the policy's steps are taken one per failed attempt,
   * as the host carries them out ({@link #adapt}).
   */
  Step stepFor(ErrorPolicy policy, int failedBefore) {
    return adapt(stepAt(policy, failedBefore));
  }

  /**
   * Hosts that must not hold a message in process (Azure Functions: the host settles, and an
   * invocation should end quickly) turn in-process retries into redeliveries by the transport, or
   * into scheduled copies.
   */
  Step adapt(Step step) {
    boolean inProcess = step.action() == Action.RETRY || step.action() == Action.RETRY_AFTER;
    if (!inProcess || redelivery == Redelivery.IN_PROCESS) {
      return step;
    }
    if (redelivery == Redelivery.TRANSPORT) {
      return new Step(Action.REQUEUE, Duration.ZERO, false);
    }
    Duration delay = step.delay().isZero() ? Duration.ofSeconds(1) : step.delay();
    return new Step(Action.SCHEDULE_RETRY, delay, step.jitter());
  }

  static Step stepAt(ErrorPolicy policy, int index) {
    List<Step> steps = policy.steps();
    return index < steps.size()
        ? steps.get(index)
        : new Step(policy.terminal(), Duration.ZERO, false);
  }

  /** The delay of a step; with jitter, drawn from its upper half. */
  static Duration delayOf(Step step) {
    if (!step.jitter() || step.delay().isZero()) {
      return step.delay();
    }
    long ms = step.delay().toMillis();
    return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
  }
}
