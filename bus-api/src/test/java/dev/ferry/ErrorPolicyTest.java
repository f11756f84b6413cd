package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Ping;
import dev.ferry.TestMessages.Work;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each error policy step, and how policies are chosen. */
class ErrorPolicyTest {
  private MessageBus bus;
  private final List<Integer> attempts = new CopyOnWriteArrayList<>();
  private final List<Instant> times = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  /** A bus whose Ping handler fails {@code failures} times with {@code error}, then succeeds. */
  private MessageBus failing(int failures, RuntimeException error, BusBuilder b) {
    AtomicInteger calls = new AtomicInteger();
    bus =
        b.localBroker(UUID.randomUUID().toString())
            .handle(
                Ping.class,
                (m, ctx) -> {
                  attempts.add(ctx.attempt());
                  times.add(Instant.now());
                  if (calls.incrementAndGet() <= failures) {
                    throw error;
                  }
                  return null;
                })
            .build();
    return bus;
  }

  private void sendAndWait(MessageBus bus, int handledOrDead) {
    bus.send(new Ping(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                bus.metrics().handled() + bus.metrics().deadLettered() + bus.metrics().discarded()
                    >= handledOrDead);
  }

  @Test
  void aPolicyIsASequenceOfSteps() {
    // tag::policy[]
    ErrorPolicy policy =
        ErrorPolicy.on(java.sql.SQLTransientException.class, java.net.SocketTimeoutException.class)
            .retry(2) // attempts 2 and 3 at once
            .thenBackoff(3, Duration.ofMillis(100), Duration.ofSeconds(2)) // then 3 with backoff
            .thenScheduleRetry(Duration.ofMinutes(1), Duration.ofMinutes(10)) // then later copies
            .thenDeadLetter(); // then park it with the failure
    // end::policy[]
    assertThat(policy.steps())
        .extracting(ErrorPolicy.Step::action)
        .containsExactly(
            ErrorPolicy.Action.RETRY,
            ErrorPolicy.Action.RETRY,
            ErrorPolicy.Action.RETRY_AFTER,
            ErrorPolicy.Action.RETRY_AFTER,
            ErrorPolicy.Action.RETRY_AFTER,
            ErrorPolicy.Action.SCHEDULE_RETRY,
            ErrorPolicy.Action.SCHEDULE_RETRY);
    assertThat(policy.steps().get(4).delay()).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.terminal()).isEqualTo(ErrorPolicy.Action.DEAD_LETTER);
    assertThat(
            policy.matches(new RuntimeException(new java.sql.SQLTransientException()), Ping.class))
        .isTrue();
    assertThat(policy.matches(new IllegalStateException(), Ping.class)).isFalse();
  }

  @Test
  void defaultIsThreeImmediateRetriesThenDeadLetter() {
    failing(100, new IllegalStateException("boom"), MessageBus.builder());
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2, 3, 4);
    assertThat(bus.metrics().deadLettered()).isEqualTo(1);
    assertThat(bus.metrics().retries()).isEqualTo(3);
  }

  @Test
  void retrySucceedsWithinItsBudget() {
    failing(
        2,
        new IllegalStateException("flaky"),
        MessageBus.builder()
            .onError(ErrorPolicy.on(IllegalStateException.class).retry(2).thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(bus.metrics().handled()).isEqualTo(1);
    assertThat(bus.deadLetters().count()).isZero();
  }

  @Test
  void backoffWaitsLongerEachTime() {
    failing(
        3,
        new IllegalStateException("slow down"),
        MessageBus.builder()
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .thenBackoff(3, Duration.ofMillis(100), Duration.ofSeconds(1))
                    .thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2, 3, 4);
    long first = Duration.between(times.get(0), times.get(1)).toMillis();
    long third = Duration.between(times.get(2), times.get(3)).toMillis();
    assertThat(first).isBetween(50L, 400L); // 100ms with jitter in its upper half
    assertThat(third).isBetween(200L, 1000L); // 400ms with jitter
  }

  @Test
  void retryAfterFixedDelays() {
    failing(
        1,
        new IllegalStateException("later"),
        MessageBus.builder()
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .thenRetryAfter(Duration.ofMillis(250))
                    .thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(Duration.between(times.get(0), times.get(1)).toMillis()).isGreaterThanOrEqualTo(240);
  }

  @Test
  void requeueHandsTheMessageBackToTheTransport() {
    failing(
        2,
        new IllegalStateException("requeue me"),
        MessageBus.builder()
            .onError(ErrorPolicy.on(IllegalStateException.class).thenRequeue(2).thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(bus.metrics().handled()).isEqualTo(1);
  }

  @Test
  void requeueBudgetRunsOutIntoDeadLetter() {
    failing(
        100,
        new IllegalStateException("never"),
        MessageBus.builder()
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .retry(1)
                    .thenRequeue(2)
                    .thenDeadLetter()));
    sendAndWait(bus, 1);
    // 1 + retry, then 2 requeues: 4 attempts in all, then the dead letter.
    assertThat(attempts).containsExactly(1, 2, 3, 4);
    assertThat(bus.deadLetters().list(1).get(0).attempts()).isEqualTo(4);
  }

  @Test
  void scheduledRetryComesBackLaterWithItsAttemptCount() {
    failing(
        1,
        new IllegalStateException("not yet"),
        MessageBus.builder()
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(50)))
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .thenScheduleRetry(Duration.ofMillis(400))
                    .thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(Duration.between(times.get(0), times.get(1)).toMillis()).isGreaterThanOrEqualTo(390);
  }

  @Test
  void transportRedeliveryTurnsInProcessRetriesIntoRequeues() {
    failing(
        2,
        new IllegalStateException("host must settle"),
        MessageBus.builder()
            .redelivery(Redelivery.TRANSPORT)
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .retry(1)
                    .thenBackoff(1, Duration.ofSeconds(30), Duration.ofSeconds(30))
                    .thenDeadLetter()));
    sendAndWait(bus, 1);
    // Two requeues (no 30 s sleep on the handling thread), then success on the third attempt.
    assertThat(attempts).containsExactly(1, 2, 3);
    assertThat(Duration.between(times.get(0), times.get(2)).toMillis()).isLessThan(5000);
    assertThat(bus.metrics().handled()).isEqualTo(1);
  }

  @Test
  void scheduleRedeliveryTurnsRetriesIntoScheduledCopies() {
    failing(
        1,
        new IllegalStateException("later"),
        MessageBus.builder()
            .redelivery(Redelivery.SCHEDULE)
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(50)))
            .onError(ErrorPolicy.on(IllegalStateException.class).retry(1).thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    // An immediate retry becomes a copy scheduled at least a second later.
    assertThat(Duration.between(times.get(0), times.get(1)).toMillis()).isGreaterThanOrEqualTo(990);
  }

  @Test
  void unknownRedeliveryModeFailsNamingTheKeyAndTheModes() {
    assertThatThrownBy(
            () -> MessageBus.builder().property("ferry.errors.redelivery", "sometimes").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("ferry.errors.redelivery")
        .hasMessageContaining("in-process, transport, schedule");
  }

  @Test
  void configurationNamesTheRedeliveryModeAsTheBuilderDoes() {
    // The string configuration supplies selects the same mode as the enum: schedule turns the
    // immediate retry into a copy at least a second later.
    failing(
        1,
        new IllegalStateException("later"),
        MessageBus.builder()
            .property("ferry.errors.redelivery", " Schedule ")
            .outbox(OutboxOptions.defaults().pollInterval(Duration.ofMillis(50)))
            .onError(ErrorPolicy.on(IllegalStateException.class).retry(1).thenDeadLetter()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(Duration.between(times.get(0), times.get(1)).toMillis()).isGreaterThanOrEqualTo(990);
    assertThat(Redelivery.values())
        .extracting(Redelivery::configValue)
        .containsExactly("in-process", "transport", "schedule");
  }

  @Test
  void requeueAfterDeliversAgainOnceTheDelayHasPassed() {
    ErrorPolicy requeueLater =
        ErrorPolicy.on(IllegalStateException.class)
            .thenRequeueAfter(Duration.ofMillis(400))
            .thenDeadLetter();
    failing(1, new IllegalStateException("not yet"), MessageBus.builder().onError(requeueLater));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(Duration.between(times.get(0), times.get(1)).toMillis()).isGreaterThanOrEqualTo(390);
    assertThat(bus.metrics().handled()).isEqualTo(1);
  }

  @Test
  void requeueStepsCarryTheirDelay() {
    ErrorPolicy policy =
        ErrorPolicy.on(IllegalStateException.class)
            .thenRequeue(1)
            .thenRequeueAfter(Duration.ofSeconds(1), Duration.ofSeconds(5))
            .thenDeadLetter();
    assertThat(policy.steps())
        .containsExactly(
            new ErrorPolicy.Step(ErrorPolicy.Action.REQUEUE, Duration.ZERO, false),
            new ErrorPolicy.Step(ErrorPolicy.Action.REQUEUE, Duration.ofSeconds(1), false),
            new ErrorPolicy.Step(ErrorPolicy.Action.REQUEUE, Duration.ofSeconds(5), false));
  }

  @Test
  void aDelayOfZeroIsRejectedWhereAStepIsADelay() {
    ErrorPolicy.Builder b = ErrorPolicy.on(IllegalStateException.class);
    Duration zero = Duration.ZERO;
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> b.thenRetryAfter(zero)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.thenRequeueAfter(zero)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.thenScheduleRetry(zero)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.thenBackoff(2, zero, second)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.thenBackoff(2, second, zero)).hasMessageContaining("positive");
    assertThatThrownBy(() -> b.thenRetryAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.thenDeadLetter().steps()).isEmpty();
  }

  @Test
  void everyOperationHasOneName() {
    Set<String> operations =
        Arrays.stream(ErrorPolicy.Builder.class.getMethods())
            .filter(m -> m.getDeclaringClass() == ErrorPolicy.Builder.class)
            .map(Method::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(operations)
        .containsExactly(
            "forMessages",
            "retry",
            "thenBackoff",
            "thenDeadLetter",
            "thenDiscard",
            "thenRequeue",
            "thenRequeueAfter",
            "thenRetryAfter",
            "thenScheduleRetry");
  }

  @Test
  void discardDropsTheMessage() {
    failing(
        100,
        new IllegalArgumentException("bad data"),
        MessageBus.builder().onError(ErrorPolicy.on(IllegalArgumentException.class).thenDiscard()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1);
    assertThat(bus.metrics().discarded()).isEqualTo(1);
    assertThat(bus.deadLetters().count()).isZero();
  }

  @Test
  void policyMatchesOnTheCauseChain() {
    failing(
        100,
        new UncheckedIOException(new IOException("disk")),
        MessageBus.builder().onError(ErrorPolicy.on(IOException.class).thenDiscard()));
    sendAndWait(bus, 1);
    assertThat(bus.metrics().discarded()).isEqualTo(1);
  }

  @Test
  void messageScopedPolicyWinsOverGeneralOne() {
    failing(
        100,
        new IllegalStateException("x"),
        MessageBus.builder()
            .onError(ErrorPolicy.on(RuntimeException.class).retry(5).thenDeadLetter())
            .onError(ErrorPolicy.on(RuntimeException.class).forMessages(Ping.class).thenDiscard()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1);
    assertThat(bus.metrics().discarded()).isEqualTo(1);
  }

  @Test
  void messageScopedPolicyDoesNotApplyToOtherTypes() {
    AtomicInteger workAttempts = new AtomicInteger();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .onError(ErrorPolicy.on(RuntimeException.class).forMessages(Ping.class).thenDiscard())
            .handle(
                Work.class,
                (m, ctx) -> {
                  workAttempts.incrementAndGet();
                  throw new IllegalStateException("work fails");
                })
            .build();
    bus.send(new Work(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 1);
    assertThat(workAttempts.get()).isEqualTo(4);
  }

  @Test
  void firstMatchingGeneralPolicyInRegistrationOrderWins() {
    failing(
        100,
        new IllegalStateException("x"),
        MessageBus.builder()
            .onError(ErrorPolicy.on(IllegalStateException.class).retry(1).thenDeadLetter())
            .onError(ErrorPolicy.on(RuntimeException.class).thenDiscard()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(bus.metrics().deadLettered()).isEqualTo(1);
  }

  @Test
  void replacedDefaultPolicyApplies() {
    failing(
        100,
        new IllegalStateException("x"),
        MessageBus.builder()
            .defaultErrorPolicy(ErrorPolicy.on(Throwable.class).retry(1).thenDiscard()));
    sendAndWait(bus, 1);
    assertThat(attempts).containsExactly(1, 2);
    assertThat(bus.metrics().discarded()).isEqualTo(1);
  }

  @Test
  void deadLetterCanBeReplayedAfterTheCauseIsFixed() {
    failing(4, new IllegalStateException("db down"), MessageBus.builder());
    sendAndWait(bus, 1);
    DeadLetter dl = bus.deadLetters().list(1).get(0);
    assertThat(bus.deadLetters().replay(dl.id())).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().handled() == 1);
    assertThat(bus.deadLetters().count()).isZero();
    assertThat(attempts).containsExactly(1, 2, 3, 4, 1);
    assertThat(bus.deadLetters().replay(dl.id())).isFalse();
  }
}
