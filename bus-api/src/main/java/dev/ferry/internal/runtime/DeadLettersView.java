package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.DeadLetters;
import dev.ferry.FerryException;
import dev.ferry.MalformedMessageException;
import dev.ferry.UnknownMessageTypeException;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.OutgoingEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link DeadLetters} over the envelope store. */
final class DeadLettersView implements DeadLetters {
  private static final Logger log = LoggerFactory.getLogger(DeadLettersView.class);
  private static final int REPLAY_PAGE = 100;

  private final RuntimeParts parts;

  DeadLettersView(RuntimeParts parts) {
    this.parts = parts;
  }

  /** Purges dead letters older than {@code retention}, checking a tenth as often, 1 s to 1 h. */
  void startExpiry(Duration retention, HostExecutors executors, BooleanSupplier closed) {
    if (retention == null || retention.isZero() || retention.isNegative()) {
      return;
    }
    long every = Math.max(1_000, Math.min(3_600_000, retention.toMillis() / 10));
    executors
        .scheduler()
        .scheduleWithFixedDelay(
            () -> {
              if (closed.getAsBoolean()) {
                return;
              }
              try {
                long purged =
                    parts.store.purgeDeadLetters(
                        DeadLetterQuery.all().deadLetteredBefore(Instant.now().minus(retention)));
                if (purged > 0) {
                  log.info("Purged {} dead letter(s) older than {}", purged, retention);
                }
              } catch (Exception e) {
                log.warn(
                    "Could not purge expired dead letters; trying again later: {}", e.toString());
              }
            },
            every,
            every,
            TimeUnit.MILLISECONDS);
  }

  @Override
  public List<DeadLetter> list(DeadLetterQuery query) {
    return call(() -> parts.store.deadLetters(query));
  }

  @Override
  public Optional<DeadLetter> find(String id) {
    return call(() -> parts.store.deadLetter(id));
  }

  @Override
  public long count() {
    return call(parts.store::deadLetterCount);
  }

  @Override
  public boolean replay(String id) {
    Optional<DeadLetter> found = call(() -> parts.store.deadLetter(id));
    return found.isPresent() && replay(found.get());
  }

  @Override
  public boolean replay(String id, byte[] correctedBody) {
    Objects.requireNonNull(correctedBody, "correctedBody");
    Optional<DeadLetter> found = call(() -> parts.store.deadLetter(id));
    if (found.isEmpty()) {
      return false;
    }
    checkBody(found.get().envelope().messageType(), correctedBody);
    return replay(found.get(), correctedBody);
  }

  /** Reads the body as the registered type, as a handler would, so a bad fix never leaves. */
  private void checkBody(String alias, byte[] body) {
    Class<?> type =
        parts
            .types
            .classOf(alias == null ? "" : alias)
            .orElseThrow(
                () ->
                    new UnknownMessageTypeException(
                        "Message type '"
                            + alias
                            + "' is not registered here; a corrected body cannot be checked"));
    try {
      parts.serializer.deserialize(body, type);
    } catch (Exception e) {
      throw new MalformedMessageException(
          "The corrected body is not a valid " + alias + ": " + e.getMessage(), e);
    }
  }

  private boolean replay(DeadLetter dl) {
    return replay(dl, dl.envelope().body());
  }

  /** Removes the dead letter and enlists its envelope with {@code body}, in one transaction. */
  private boolean replay(DeadLetter dl, byte[] body) {
    return call(
        () ->
            parts.store.inTransaction(
                uow -> {
                  if (!parts.store.deleteDeadLetter(uow, dl.id())) {
                    return false; // replayed or purged meanwhile
                  }
                  var envelope =
                      dl.envelope().toBuilder()
                          .body(body)
                          .attempts(0)
                          .scheduledFor(null)
                          .header(REPLAY_HEADER, String.valueOf(replays(dl) + 1))
                          .build();
                  Address to = parts.router.qualify(Address.parse(dl.endpoint()), "dead letter");
                  parts.outbox.enlist(uow, List.of(new OutgoingEnvelope(envelope, to, null)));
                  return true;
                }));
  }

  /**
   * Replays page by page what was dead-lettered before now: replayed ones leave the store, and one
   * that fails again comes back with a later time, so each is replayed at most once here.
   */
  @Override
  public int replay(DeadLetterQuery query) {
    Instant now = Instant.now();
    Instant cutoff = query.before() != null && query.before().isBefore(now) ? query.before() : now;
    Set<String> tried = new HashSet<>();
    int replayed = 0;
    while (replayed < query.limit()) {
      int page = Math.min(REPLAY_PAGE, query.limit() - replayed);
      List<DeadLetter> batch = list(query.deadLetteredBefore(cutoff).limit(page));
      boolean progress = false;
      for (DeadLetter d : batch) {
        if (replayed < query.limit() && tried.add(d.id())) {
          progress = true;
          if (replay(d)) {
            replayed++;
          }
        }
      }
      if (!progress) {
        break;
      }
    }
    return replayed;
  }

  private static int replays(DeadLetter dl) {
    String marker = dl.envelope().headers().get(REPLAY_HEADER);
    try {
      return marker == null ? 0 : Math.max(0, Integer.parseInt(marker.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public long purge(DeadLetterQuery query) {
    return call(() -> parts.store.purgeDeadLetters(query));
  }

  @Override
  public boolean purge(String id) {
    return call(() -> parts.store.inTransaction(uow -> parts.store.deleteDeadLetter(uow, id)));
  }

  private interface StoreCall<T> {
    T call() throws Exception;
  }

  private static <T> T call(StoreCall<T> c) {
    try {
      return c.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new FerryException("Dead letter store failed: " + e.getMessage(), e);
    }
  }
}
