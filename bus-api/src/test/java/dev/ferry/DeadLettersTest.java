package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ferry.TestMessages.Poison;
import dev.ferry.TestMessages.Work;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listing, replaying and purging dead letters by type, reason and time; expiry; the replay marker.
 */
class DeadLettersTest {
  /** Message id to the replay markers its handler saw, in order. */
  private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

  private final Set<String> healed = ConcurrentHashMap.newKeySet();
  private MessageBus bus;

  @AfterEach
  void close() {
    if (bus != null) {
      bus.close();
    }
  }

  /** Work and Poison fail until their id is healed; nothing is retried. */
  private MessageBus bus(BusBuilder b) {
    bus =
        b.localBroker(UUID.randomUUID().toString())
            .onError(ErrorPolicy.on(IllegalStateException.class).thenDeadLetter())
            .handle(Work.class, (m, ctx) -> handle("work-" + m.n(), ctx))
            .handle(Poison.class, (m, ctx) -> handle(m.id(), ctx))
            .build();
    return bus;
  }

  private Object handle(String key, MessageContext ctx) {
    seen.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(String.valueOf(ctx.headers().get(DeadLetters.REPLAY_HEADER)));
    if (!healed.contains(key)) {
      throw new IllegalStateException(key + " is broken");
    }
    return null;
  }

  private void awaitDeadLetters(long n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == n);
  }

  @Test
  void listsByTypeReasonAndTime() {
    bus(MessageBus.builder());
    bus.send(new Work(1));
    bus.send(new Poison("p1"));
    awaitDeadLetters(2);
    Instant between = Instant.now();
    bus.send(new Work(2));
    awaitDeadLetters(3);

    String workType =
        bus.deadLetters().list(10).stream()
            .filter(d -> d.envelope().body().length > 0 && d.exceptionMessage().startsWith("work"))
            .findFirst()
            .orElseThrow()
            .envelope()
            .messageType();
    DeadLetterQuery all = DeadLetterQuery.all();
    assertThat(bus.deadLetters().list(all.messageType(workType))).hasSize(2);
    assertThat(bus.deadLetters().list(all.reason("handler-failed"))).hasSize(3);
    assertThat(bus.deadLetters().list(all.reason("expired"))).isEmpty();
    assertThat(bus.deadLetters().list(all.deadLetteredAfter(between)))
        .singleElement()
        .satisfies(d -> assertThat(d.exceptionMessage()).startsWith("work-2"));
    assertThat(bus.deadLetters().list(all.deadLetteredBefore(between))).hasSize(2);
    assertThat(bus.deadLetters().list(all.limit(1))).hasSize(1);
  }

  @Test
  void replaysByFilterWithTheMarkerAndKeepsTheId() {
    bus(MessageBus.builder());
    for (int i = 0; i < 5; i++) {
      bus.send(new Work(i));
    }
    bus.send(new Poison("p1"));
    awaitDeadLetters(6);
    String workType =
        bus.deadLetters().list(DeadLetterQuery.all().limit(10)).stream()
            .filter(d -> d.exceptionMessage().startsWith("work"))
            .findFirst()
            .orElseThrow()
            .envelope()
            .messageType();
    String workId =
        bus.deadLetters().list(DeadLetterQuery.all().messageType(workType)).get(0).envelope().id();
    for (int i = 0; i < 5; i++) {
      healed.add("work-" + i);
    }

    assertThat(bus.deadLetters().replay(DeadLetterQuery.all().messageType(workType))).isEqualTo(5);

    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().handled() == 5);
    assertThat(bus.deadLetters().list(10))
        .singleElement()
        .satisfies(d -> assertThat(d.exceptionMessage()).startsWith("p1"));
    assertThat(seen.get("work-0")).containsExactly("null", "1");
    assertThat(seen.get("p1")).containsExactly("null");
    assertThat(bus.deadLetters().find(workId)).isEmpty();
  }

  @Test
  void replayingAllOnceDoesNotLoopOnMessagesThatFailAgainAndTheMarkerCounts() {
    bus(MessageBus.builder());
    bus.send(new Poison("p1"));
    bus.send(new Poison("p2"));
    awaitDeadLetters(2);

    assertThat(bus.deadLetters().replay(DeadLetterQuery.all())).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.get("p2").size() == 2);
    awaitDeadLetters(2); // both failed again
    assertThat(bus.deadLetters().replay(DeadLetterQuery.all())).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.get("p1").size() == 3);

    assertThat(seen.get("p1")).containsExactly("null", "1", "2");
    awaitDeadLetters(2);
  }

  @Test
  void purgesByFilter() {
    bus(MessageBus.builder());
    bus.send(new Work(1));
    bus.send(new Poison("p1"));
    awaitDeadLetters(2);
    String poisonType =
        bus.deadLetters().list(10).stream()
            .filter(d -> d.exceptionMessage().startsWith("p1"))
            .findFirst()
            .orElseThrow()
            .envelope()
            .messageType();
    assertThat(bus.deadLetters().purge(DeadLetterQuery.all().messageType(poisonType))).isEqualTo(1);
    assertThat(bus.deadLetters().count()).isEqualTo(1);
    assertThat(bus.deadLetters().purgeAll()).isEqualTo(1);
  }

  @Test
  void replaysWithACorrectedBodyOnlyWhenItFitsTheMessageType() {
    bus(MessageBus.builder());
    bus.send(new Work(1));
    awaitDeadLetters(1);
    DeadLetter dl = bus.deadLetters().list(1).get(0);
    healed.add("work-2");

    byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
    byte[] wrongField = "{\"n\":\"two\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> bus.deadLetters().replay(dl.id(), notJson))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(dl.envelope().messageType());
    assertThatThrownBy(() -> bus.deadLetters().replay(dl.id(), wrongField))
        .isInstanceOf(MalformedMessageException.class);
    assertThat(bus.deadLetters().find(dl.id())).isPresent();

    assertThat(bus.deadLetters().replay(dl.id(), "{\"n\":2}".getBytes(StandardCharsets.UTF_8)))
        .isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.metrics().handled() == 1);
    assertThat(seen.get("work-2")).containsExactly("1");
    assertThat(bus.deadLetters().count()).isZero();
    assertThat(bus.deadLetters().replay("no-such-id", "{}".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
  }

  @Test
  void deadLettersExpireAfterTheirRetention() {
    bus(
        MessageBus.builder()
            .deadLetters(DeadLetterOptions.defaults().retention(Duration.ofSeconds(2))));
    bus.send(new Poison("old"));
    awaitDeadLetters(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> bus.deadLetters().count() == 0);
    assertThat(bus.metrics().deadLettered()).isEqualTo(1);
  }
}
