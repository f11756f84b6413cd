package dev.ferry.jdbi.contract;

import static dev.ferry.jdbi.contract.ContractData.deadLetter;
import static dev.ferry.jdbi.contract.ContractData.ids;
import static dev.ferry.jdbi.contract.ContractData.messageIds;
import static dev.ferry.jdbi.contract.ContractData.now;
import static dev.ferry.jdbi.contract.ContractData.outgoing;
import static dev.ferry.jdbi.contract.ContractData.scheduled;
import static dev.ferry.jdbi.contract.ContractData.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.StoreGauges;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.UnitOfWork;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EnvelopeStore} must do, written once: each store's test subclasses this and
 * says how to create a started, empty store. The test methods are final so that every store is held
 * to the same cases.
 */
public abstract class EnvelopeStoreContract {
  private static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * How late a store may notice that a lease expired: the in-memory store looks for expired leases
   * at most once a second (of the claim's clock); PostgreSQL sees them at once.
   */
  private static final Duration NOTICE = Duration.ofMillis(1500);

  protected EnvelopeStore store;

  /** A started store with nothing in it. */
  protected abstract EnvelopeStore createStore() throws Exception;

  /** Releases what {@link #createStore()} made. */
  protected void dispose(EnvelopeStore store) throws Exception {
    store.close();
  }

  @BeforeEach
  final void createTheStore() throws Exception {
    store = createStore();
  }

  @AfterEach
  final void disposeTheStore() throws Exception {
    dispose(store);
  }

  @Test
  public final void ownedRowsAreNotClaimedWhileTheirLeaseRuns() throws Exception {
    Instant t = now();
    store(store, outgoing("own-", 3), "node-a", t.plus(LEASE));
    assertThat(store.claimOutgoing("node-b", 10, t, LEASE)).isEmpty();
    // Rows whose lease expired come back in no particular order.
    assertThat(store.claimOutgoing("node-b", 10, t.plus(LEASE).plus(NOTICE), LEASE))
        .extracting(o -> o.envelope().id())
        .containsExactlyInAnyOrder("own-0", "own-1", "own-2");
  }

  @Test
  public final void unownedRowsAreClaimedOnceInOrderUpToTheLimit() throws Exception {
    store(store, outgoing("free-", 5), null, null);
    Instant t = now();
    assertThat(messageIds(store.claimOutgoing("a", 2, t, LEASE)))
        .containsExactly("free-0", "free-1");
    assertThat(messageIds(store.claimOutgoing("b", 2, t, LEASE)))
        .containsExactly("free-2", "free-3");
    assertThat(messageIds(store.claimOutgoing("a", 2, t, LEASE))).containsExactly("free-4");
    assertThat(store.claimOutgoing("c", 10, t, LEASE)).isEmpty();
    assertThat(store.outgoingCount()).isEqualTo(5);
  }

  @Test
  public final void claimedEnvelopesAreUnchanged() throws Exception {
    Instant due = now().minusSeconds(1);
    List<OutgoingEnvelope> stored = List.of(outgoing("same-1"), scheduled("same-2", due));
    store(store, stored, null, null);
    List<OutgoingEnvelope> claimed = store.claimOutgoing("a", 10, now(), LEASE);
    assertThat(claimed).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(claimed.get(0).envelope().headers()).isEqualTo(stored.get(0).envelope().headers());
  }

  @Test
  public final void scheduledRowsAreClaimedOnlyWhenDue() throws Exception {
    Instant due = now().plusSeconds(60);
    store(store, List.of(scheduled("later", due)), null, null);
    assertThat(store.claimOutgoing("a", 10, now(), LEASE)).isEmpty();
    assertThat(store.claimOutgoing("a", 10, due.minusMillis(1), LEASE)).isEmpty();
    assertThat(messageIds(store.claimOutgoing("a", 10, due, LEASE))).containsExactly("later");
  }

  @Test
  public final void deleteTouchesOnlyRowsTheCallerStillOwns() throws Exception {
    List<OutgoingEnvelope> rows = outgoing("del-", 3);
    store(store, rows, null, null);
    Instant t = now();
    assertThat(store.claimOutgoing("a", 10, t, LEASE)).hasSize(3);
    assertThat(store.deleteOutgoing("b", ids(rows))).isZero();
    assertThat(store.deleteOutgoing("a", ids(rows.subList(0, 2)))).isEqualTo(2);
    assertThat(store.deleteOutgoing("a", ids(rows))).isEqualTo(1);
    assertThat(store.deleteOutgoing("a", List.of())).isZero();
    assertThat(store.outgoingCount()).isZero();
  }

  @Test
  public final void releaseFreesOnlyOwnedRowsAndDelaysThem() throws Exception {
    List<OutgoingEnvelope> rows = outgoing("rel-", 2);
    store(store, rows, null, null);
    Instant t = now();
    store.claimOutgoing("a", 10, t, LEASE);
    assertThat(store.releaseOutgoing("b", ids(rows), t)).isZero();
    Instant retryAt = t.plusSeconds(5);
    assertThat(store.releaseOutgoing("a", ids(rows), retryAt)).isEqualTo(2);
    assertThat(store.claimOutgoing("b", 10, t.plusSeconds(1), LEASE)).isEmpty();
    assertThat(messageIds(store.claimOutgoing("b", 10, retryAt, LEASE)))
        .containsExactly("rel-0", "rel-1");
    assertThat(store.deleteOutgoing("a", ids(rows))).as("a no longer owns them").isZero();
  }

  @Test
  public final void anExpiredLeaseIsTakenOverAndTheOldOwnerIsFenced() throws Exception {
    List<OutgoingEnvelope> rows = outgoing("lease-", 2);
    store(store, rows, null, null);
    Instant t = now();
    assertThat(store.claimOutgoing("dead-node", 10, t, LEASE)).hasSize(2);
    assertThat(store.claimOutgoing("other", 10, t.plus(LEASE).minusMillis(1), LEASE)).isEmpty();
    Instant later = t.plus(LEASE).plus(NOTICE);
    assertThat(store.claimOutgoing("other", 10, later, LEASE)).hasSize(2);
    assertThat(store.releaseOutgoing("dead-node", ids(rows), later)).isZero();
    assertThat(store.deleteOutgoing("dead-node", ids(rows))).isZero();
    assertThat(store.deleteOutgoing("other", ids(rows))).isEqualTo(2);
  }

  @Test
  public final void storingAnIdAgainReplacesTheRow() throws Exception {
    OutgoingEnvelope first = outgoing("again");
    store(store, List.of(first), "a", now().plus(LEASE));
    OutgoingEnvelope second =
        new OutgoingEnvelope(
            first.envelope().toBuilder().attempts(7).build(), first.destination(), null);
    store(store, List.of(second), null, null);
    assertThat(store.outgoingCount()).isEqualTo(1);
    List<OutgoingEnvelope> claimed = store.claimOutgoing("b", 10, now(), LEASE);
    assertThat(claimed).containsExactly(second);
  }

  @Test
  public final void concurrentClaimersNeverShareARow() throws Exception {
    int n = 400;
    store(store, outgoing("par-", n), null, null);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<String> all = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> claimers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        String owner = "claimer-" + c;
        claimers.add(
            pool.submit(
                () -> {
                  while (seen.size() < n) {
                    for (OutgoingEnvelope o : store.claimOutgoing(owner, 7, now(), LEASE)) {
                      seen.add(o.id());
                      all.add(o.id());
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : claimers) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(all).hasSize(n).doesNotHaveDuplicates();
  }

  @Test
  public final void aRolledBackUnitOfWorkStoresNothingAndRunsNoAfterCommit() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    uow -> {
                      store.storeOutgoing(uow, outgoing("rb-", 2), "a", now().plus(LEASE));
                      store.recordIncoming(uow, "local:queue:rb", "rb-msg");
                      uow.afterCommit(() -> ran.set(true));
                      throw new IllegalStateException("business failed");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("business failed");
    assertThat(ran).isFalse();
    assertThat(store.outgoingCount()).isZero();
    assertThat(store.claimOutgoing("b", 10, now().plus(LEASE).plusSeconds(1), LEASE)).isEmpty();
    assertThat(recordOnce("local:queue:rb", "rb-msg")).isTrue();
  }

  @Test
  public final void afterCommitRunsOnceTheRowsAreVisible() throws Exception {
    List<Long> countAtAfterCommit = new CopyOnWriteArrayList<>();
    String result =
        store.inTransaction(
            uow -> {
              store.storeOutgoing(uow, outgoing("ac-", 3), "a", now().plus(LEASE));
              uow.afterCommit(() -> countAtAfterCommit.add(count()));
              assertThat(countAtAfterCommit).isEmpty();
              return "done";
            });
    assertThat(result).isEqualTo("done");
    assertThat(countAtAfterCommit).containsExactly(3L);
  }

  @Test
  public final void aNestedTransactionJoinsTheOuterOne() throws Exception {
    assertThat(store.currentTransaction()).isEmpty();
    List<UnitOfWork> seen = new ArrayList<>();
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    outer -> {
                      seen.add(store.currentTransaction().orElseThrow());
                      store.inTransaction(
                          inner -> {
                            seen.add(inner);
                            store.storeOutgoing(inner, outgoing("nest-", 1), "a", now());
                            return null;
                          });
                      seen.add(outer);
                      throw new IllegalStateException("outer fails");
                    }))
        .hasMessage("outer fails");
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0)).isSameAs(seen.get(2));
    assertThat(seen.get(1)).isSameAs(seen.get(2));
    assertThat(store.outgoingCount()).isZero();
    assertThat(store.currentTransaction()).isEmpty();
  }

  @Test
  public final void theInboxRecognisesDuplicatesPerEndpoint() throws Exception {
    assertThat(recordOnce("local:queue:a", "m1")).isTrue();
    assertThat(recordOnce("local:queue:a", "m1")).isFalse();
    assertThat(recordOnce("local:queue:b", "m1")).isTrue();
    assertThat(recordOnce("local:queue:a", "m2")).isTrue();
  }

  @Test
  public final void aBatchOfIdsIsRecordedAtOnceAndItsDuplicatesAreReturned() throws Exception {
    assertThat(recordOnce("local:queue:batch", "b1")).isTrue();
    Set<String> first =
        store.inTransaction(
            uow -> store.recordIncoming(uow, "local:queue:batch", List.of("b3", "b1", "b2")));
    assertThat(first).containsExactly("b1");
    Set<String> second =
        store.inTransaction(
            uow -> store.recordIncoming(uow, "local:queue:batch", List.of("b2", "b4")));
    assertThat(second).containsExactly("b2");
    Set<String> otherEndpoint =
        store.inTransaction(
            uow -> store.recordIncoming(uow, "local:queue:other", List.of("b1", "b2")));
    assertThat(otherEndpoint).as("per endpoint").isEmpty();
    Set<String> none =
        store.inTransaction(uow -> store.recordIncoming(uow, "local:queue:x", List.of()));
    assertThat(none).isEmpty();
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    uow -> {
                      store.recordIncoming(uow, "local:queue:batch", List.of("b5", "b6"));
                      throw new IllegalStateException("handler failed");
                    }))
        .hasMessage("handler failed");
    assertThat(recordOnce("local:queue:batch", "b5")).as("rolled back").isTrue();
  }

  @Test
  public final void concurrentDuplicatesHaveExactlyOneWinner() throws Exception {
    CountDownLatch firstRecorded = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    CompletableFuture<Boolean> first =
        CompletableFuture.supplyAsync(
            () ->
                unchecked(
                    () ->
                        store.inTransaction(
                            uow -> {
                              boolean r = store.recordIncoming(uow, "local:queue:race", "dup");
                              firstRecorded.countDown();
                              secondStarted.await(5, TimeUnit.SECONDS);
                              Thread.sleep(200); // the second is now waiting, or already done
                              return r;
                            })));
    assertThat(firstRecorded.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Boolean> second =
        CompletableFuture.supplyAsync(
            () -> {
              secondStarted.countDown();
              return unchecked(() -> recordOnce("local:queue:race", "dup"));
            });
    assertThat(List.of(first.get(20, TimeUnit.SECONDS), second.get(20, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder(true, false);
  }

  @Test
  public final void gaugesShowDepthsAndTheAgeOfTheOldestDueRow() throws Exception {
    StoreGauges empty = store.gauges();
    assertThat(empty.outboxDepth()).isZero();
    assertThat(empty.oldestOutgoingAge()).isEqualTo(Duration.ZERO);

    store(store, outgoing("g-", 3), null, null);
    store(store, List.of(scheduled("later", now().plusSeconds(3600))), null, null);
    store.inTransaction(uow -> store.recordIncoming(uow, "local:queue:g", List.of("i1", "i2")));
    store.storeDeadLetter(deadLetter("dl", "local:queue:g", now()));
    Thread.sleep(50);

    StoreGauges g = store.gauges();
    assertThat(g.outboxDepth()).isEqualTo(3);
    assertThat(g.scheduled()).isEqualTo(1);
    assertThat(g.inboxDepth()).isEqualTo(2);
    assertThat(g.deadLetters()).isEqualTo(1);
    assertThat(g.oldestOutgoingAge())
        .isGreaterThanOrEqualTo(Duration.ofMillis(40))
        .isLessThan(Duration.ofMinutes(1));
  }

  @Test
  public final void deadLettersRoundTripWithEveryField() throws Exception {
    DeadLetter d = deadLetter("dl-1", "local:queue:orders", now());
    store.storeDeadLetter(d);
    assertThat(store.deadLetter(d.id())).contains(d);
    assertThat(store.deadLetter("nope")).isEmpty();
    assertThat(store.deadLetterCount()).isEqualTo(1);
  }

  @Test
  public final void deadLettersAreListedNewestFirstWithFilterAndLimit() throws Exception {
    Instant t = now();
    store.storeDeadLetter(deadLetter("d1", "local:queue:a", t.minusSeconds(3)));
    store.storeDeadLetter(deadLetter("d2", "local:queue:b", t.minusSeconds(2)));
    store.storeDeadLetter(deadLetter("d3", "local:queue:a", t.minusSeconds(1)));
    assertThat(store.deadLetters(DeadLetterQuery.all()))
        .extracting(DeadLetter::id)
        .containsExactly("d3@local:queue:a", "d2@local:queue:b", "d1@local:queue:a");
    assertThat(store.deadLetters(DeadLetterQuery.all().limit(2))).hasSize(2);
    assertThat(store.deadLetters(DeadLetterQuery.all().endpoint("local:queue:a")))
        .extracting(DeadLetter::id)
        .containsExactly("d3@local:queue:a", "d1@local:queue:a");
    assertThat(store.deadLetters(DeadLetterQuery.all().endpoint("local:queue:none"))).isEmpty();
  }

  @Test
  public final void deadLettersAreFoundByTypeReasonAndTime() throws Exception {
    Instant t = now();
    store.storeDeadLetter(deadLetter("d1", "local:queue:a", t.minusSeconds(30)));
    store.storeDeadLetter(
        withTypeAndReason(
            deadLetter("d2", "local:queue:a", t.minusSeconds(20)), "other", "expired"));
    store.storeDeadLetter(deadLetter("d3", "local:queue:b", t.minusSeconds(10)));
    DeadLetterQuery all = DeadLetterQuery.all();
    assertThat(store.deadLetters(all.messageType("other")))
        .extracting(DeadLetter::id)
        .containsExactly("d2@local:queue:a");
    assertThat(store.deadLetters(all.reason("handler-failed")))
        .extracting(DeadLetter::id)
        .containsExactly("d3@local:queue:b", "d1@local:queue:a");
    assertThat(store.deadLetters(all.deadLetteredAfter(t.minusSeconds(20))))
        .extracting(DeadLetter::id)
        .containsExactly("d3@local:queue:b", "d2@local:queue:a");
    assertThat(store.deadLetters(all.deadLetteredBefore(t.minusSeconds(20))))
        .extracting(DeadLetter::id)
        .containsExactly("d1@local:queue:a");
    assertThat(
            store.deadLetters(
                all.endpoint("local:queue:a").reason("handler-failed").deadLetteredAfter(t)))
        .isEmpty();

    assertThat(store.purgeDeadLetters(all.deadLetteredBefore(t.minusSeconds(15)))).isEqualTo(2);
    assertThat(store.deadLetters(all))
        .extracting(DeadLetter::id)
        .containsExactly("d3@local:queue:b");
  }

  private static DeadLetter withTypeAndReason(DeadLetter d, String type, String reason) {
    return new DeadLetter(
        d.id(),
        d.envelope().toBuilder().messageType(type).build(),
        d.endpoint(),
        reason,
        d.exceptionType(),
        d.exceptionMessage(),
        d.stackTrace(),
        d.attempts(),
        d.firstFailedAt(),
        d.deadLetteredAt());
  }

  @Test
  public final void aDeadLetterStoredAgainIsReplaced() throws Exception {
    DeadLetter d = deadLetter("twice", "local:queue:a", now());
    store.storeDeadLetter(d);
    DeadLetter again =
        new DeadLetter(
            d.id(),
            d.envelope(),
            d.endpoint(),
            "expired",
            null,
            null,
            null,
            9,
            null,
            d.deadLetteredAt());
    store.storeDeadLetter(again);
    assertThat(store.deadLetterCount()).isEqualTo(1);
    assertThat(store.deadLetter(d.id())).contains(again);
  }

  @Test
  public final void deletingADeadLetterFollowsTheUnitOfWork() throws Exception {
    DeadLetter d = deadLetter("del", "local:queue:a", now());
    store.storeDeadLetter(d);
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    uow -> {
                      assertThat(store.deleteDeadLetter(uow, d.id())).isTrue();
                      throw new IllegalStateException("replay failed");
                    }))
        .hasMessage("replay failed");
    assertThat(store.deadLetter(d.id())).contains(d);
    boolean first = store.inTransaction(uow -> store.deleteDeadLetter(uow, d.id()));
    boolean second = store.inTransaction(uow -> store.deleteDeadLetter(uow, d.id()));
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(store.deadLetterCount()).isZero();
  }

  @Test
  public final void purgingDeadLettersRemovesThemAll() throws Exception {
    for (int i = 0; i < 5; i++) {
      store.storeDeadLetter(deadLetter("p" + i, "local:queue:a", now()));
    }
    assertThat(store.purgeDeadLetters(DeadLetterQuery.all().limit(1))).isEqualTo(5);
    assertThat(store.deadLetterCount()).isZero();
    assertThat(store.deadLetters(DeadLetterQuery.all())).isEmpty();
  }

  private boolean recordOnce(String endpoint, String messageId) throws Exception {
    return store.inTransaction(uow -> store.recordIncoming(uow, endpoint, messageId));
  }

  private long count() {
    return unchecked(store::outgoingCount);
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T unchecked(Call<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
