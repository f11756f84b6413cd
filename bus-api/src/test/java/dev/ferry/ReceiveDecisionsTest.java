package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Work;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.MessageObserver;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the pipeline decides for received messages: attempts, batches, observers' scopes. */
class ReceiveDecisionsTest {
  private MessageBus bus;

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  /** A scope an observer opens around each attempt, visible to the handler on its thread. */
  private static final ThreadLocal<Integer> CURRENT_ATTEMPT = new ThreadLocal<>();

  @Test
  void observersOpenAScopeAroundEachAttemptOnTheHandlingThread() {
    List<String> events = new CopyOnWriteArrayList<>();
    MessageObserver tracing =
        new MessageObserver() {
          @Override
          public HandlingScope around(Envelope envelope, Address endpoint, int attempt) {
            CURRENT_ATTEMPT.set(attempt);
            events.add("open " + attempt);
            return () -> {
              CURRENT_ATTEMPT.remove();
              events.add("close " + attempt);
            };
          }
        };
    AtomicInteger calls = new AtomicInteger();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .observer(tracing)
            .onError(ErrorPolicy.on(IllegalStateException.class).retry(2).thenDeadLetter())
            .handle(
                Work.class,
                (m, ctx) -> {
                  events.add("handle " + ctx.attempt() + " in scope " + CURRENT_ATTEMPT.get());
                  if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("not yet");
                  }
                  return null;
                })
            .build();
    bus.send(new Work(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().handled() == 1);
    assertThat(events)
        .containsExactly(
            "open 1",
            "handle 1 in scope 1",
            "close 1",
            "open 2",
            "handle 2 in scope 2",
            "close 2",
            "open 3",
            "handle 3 in scope 3",
            "close 3");
  }

  /**
   * A batch whose handler throws an Error: the Error stays in the pipeline, the failing message's
   * batch attempt is its first counted attempt (no uncounted rerun), and the others are handled
   * once.
   */
  @Test
  void anErrorInABatchIsACountedAttemptOfItsMessageAndTheOthersAreHandled() throws Exception {
    CountDownLatch firstHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger poisonCalls = new AtomicInteger();
    List<Integer> poisonAttempts = new CopyOnWriteArrayList<>();
    List<Integer> handled = new CopyOnWriteArrayList<>();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .listeners(ListenerOptions.defaults().concurrency(1).maxBatch(10))
            .defaultErrorPolicy(ErrorPolicy.on(Throwable.class).retry(2).thenDeadLetter())
            .handle(
                Work.class,
                (m, ctx) -> {
                  if (m.n() == 0) {
                    firstHeld.countDown();
                    release.await(10, TimeUnit.SECONDS);
                  }
                  if (m.n() == 3) {
                    poisonCalls.incrementAndGet();
                    poisonAttempts.add(ctx.attempt());
                    throw new AssertionError("an Error, not an Exception");
                  }
                  handled.add(m.n());
                  return null;
                })
            .build();
    bus.send(new Work(0));
    assertThat(firstHeld.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 5; i++) {
      bus.send(new Work(i)); // waiting together behind Work(0): one batch
    }
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bus.metrics().deadLettered() == 1 && bus.metrics().handled() >= 5);
    Thread.sleep(300); // nothing more may follow
    assertThat(bus.metrics().handled()).isEqualTo(5);
    // The batch's work was rolled back, so those before the failure run again (not a failure of
    // theirs: their attempt number stays); all of them are handled.
    assertThat(handled).contains(0, 1, 2, 4, 5).doesNotContain(3);
    // retry(2) then dead-letter: three attempts in all, the batch's being the first.
    assertThat(poisonAttempts).containsExactly(1, 2, 3);
    assertThat(poisonCalls).hasValue(3);
    DeadLetter dead = bus.deadLetters().list(1).get(0);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.reason()).isEqualTo(Reasons.HANDLER_FAILED);
    assertThat(dead.exceptionType()).isEqualTo(AssertionError.class.getName());
  }

  @Test
  void aDeadLetterRecordsWhenItsFirstAttemptFailed() {
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .onError(
                ErrorPolicy.on(IllegalStateException.class)
                    .thenRetryAfter(Duration.ofMillis(300), Duration.ofMillis(300))
                    .thenDeadLetter())
            .handle(
                Work.class,
                (m, ctx) -> {
                  throw new IllegalStateException("always");
                })
            .build();
    bus.send(new Work(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().deadLettered() == 1);
    DeadLetter dead = bus.deadLetters().list(1).get(0);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(Duration.between(dead.firstFailedAt(), dead.deadLetteredAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(550));
  }

  /**
   * A handler that never returns: after the handler timeout its attempt fails (and here is
   * dead-lettered), and the only listener slot goes on to the next message.
   */
  @Test
  void aHandlerThatNeverReturnsTimesOutAndFreesItsSlot() {
    List<Integer> handled = new CopyOnWriteArrayList<>();
    bus =
        MessageBus.builder()
            .localBroker(UUID.randomUUID().toString())
            .listeners(
                ListenerOptions.defaults().concurrency(1).handlerTimeout(Duration.ofMillis(300)))
            .onError(ErrorPolicy.on(HandlerTimeoutException.class).retry(1).thenDeadLetter())
            .handle(
                Work.class,
                (m, ctx) -> {
                  if (m.n() == 1) {
                    new CountDownLatch(1).await(); // never
                  }
                  handled.add(m.n());
                  return null;
                })
            .build();
    bus.send(new Work(1));
    bus.send(new Work(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains(2));
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().deadLettered() == 1);
    DeadLetter dead = bus.deadLetters().list(1).get(0);
    assertThat(dead.exceptionType()).isEqualTo(HandlerTimeoutException.class.getName());
    assertThat(dead.attempts()).isEqualTo(2);
    assertThat(Duration.between(dead.firstFailedAt(), dead.deadLetteredAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(handled).containsExactly(2);
  }
}
