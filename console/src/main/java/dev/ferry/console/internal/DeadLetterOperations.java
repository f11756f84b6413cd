package dev.ferry.console.internal;

import dev.ferry.DeadLetter;
import dev.ferry.DeadLetterQuery;
import dev.ferry.FerryException;
import dev.ferry.MessageBus;
import dev.ferry.console.AuditEntry;
import dev.ferry.console.NativeDrain;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator can do to dead letters, each change recorded in the audit trail with its result,
 * whether it succeeded or not. Built on the bus's public {@link dev.ferry.DeadLetters}.
 */
public final class DeadLetterOperations {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterOperations.class);

  /** Groups are counted over at most this many dead letters, newest first. */
  static final int GROUP_SCAN = 10_000;

  private final MessageBus bus;
  private final AuditTrail audit;
  private final Map<String, NativeDrain> drains;
  private final Clock clock;

  public DeadLetterOperations(
      MessageBus bus, AuditTrail audit, Map<String, NativeDrain> drains, Clock clock) {
    this.bus = Objects.requireNonNull(bus, "bus");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.drains = Map.copyOf(drains);
    this.clock = clock;
  }

  public MessageBus bus() {
    return bus;
  }

  public AuditTrail audit() {
    return audit;
  }

  /** The native dead-letter queues an operator can drain, by name. */
  public Collection<String> drainNames() {
    return drains.keySet().stream().sorted().toList();
  }

  public List<DeadLetter> list(DeadLetterFilter filter) {
    if (filter.exceptionType() == null) {
      return bus.deadLetters().list(filter.query());
    }
    List<DeadLetter> out = new ArrayList<>();
    for (DeadLetter d : bus.deadLetters().list(filter.query().limit(DeadLetterQuery.ALL))) {
      if (filter.matches(d) && out.size() < filter.query().limit()) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * One group per reason and exception type among the matching dead letters, largest first.
   *
   * @param reason the shared reason
   * @param exceptionType the shared exception type, or null
   * @param count how many
   * @param sample the newest one's exception message, to recognise the cause
   */
  public record Group(String reason, String exceptionType, int count, String sample) {}

  /** The groups, and whether more dead letters exist than were scanned. */
  public record Groups(List<Group> groups, int scanned, boolean truncated) {}

  public Groups groups(DeadLetterFilter filter) {
    List<DeadLetter> all =
        list(new DeadLetterFilter(filter.query().limit(GROUP_SCAN + 1), filter.exceptionType()));
    boolean truncated = all.size() > GROUP_SCAN;
    Map<List<String>, Group> groups = new LinkedHashMap<>();
    for (DeadLetter d : truncated ? all.subList(0, GROUP_SCAN) : all) {
      List<String> key = Arrays.asList(d.reason(), d.exceptionType());
      Group g = groups.get(key);
      groups.put(
          key,
          g == null
              ? new Group(d.reason(), d.exceptionType(), 1, Redaction.text(d.exceptionMessage()))
              : new Group(g.reason(), g.exceptionType(), g.count() + 1, g.sample()));
    }
    List<Group> sorted = new ArrayList<>(groups.values());
    sorted.sort((a, b) -> Integer.compare(b.count(), a.count()));
    return new Groups(sorted, Math.min(all.size(), GROUP_SCAN), truncated);
  }

  public DeadLetter find(String id) {
    return bus.deadLetters()
        .find(id)
        .orElseThrow(
            () -> new NotFoundException("No dead letter " + id + " (replayed or purged?)"));
  }

  /** Replays the dead letters with these ids; returns how many were replayed. */
  public int replay(List<String> ids, String operator) {
    return audited(
        operator,
        "replay",
        target(ids),
        () -> {
          int n = 0;
          for (String id : ids) {
            if (bus.deadLetters().replay(id)) {
              n++;
            }
          }
          return n;
        },
        n -> "replayed " + n + " of " + ids.size());
  }

  public int replay(DeadLetterFilter filter, String operator) {
    return audited(
        operator,
        "replay",
        "query " + filter.describe(),
        () -> {
          if (filter.exceptionType() == null) {
            return bus.deadLetters().replay(filter.query());
          }
          int n = 0;
          for (DeadLetter d : list(filter)) {
            if (bus.deadLetters().replay(d.id())) {
              n++;
            }
          }
          return n;
        },
        n -> "replayed " + n);
  }

  /**
   * Replays one dead letter with an edited body, which must read as its message type; otherwise the
   * dead letter stays as it was and the audit trail says why.
   */
  public boolean replayEdited(String id, byte[] body, String operator) {
    return audited(
        operator,
        "replay-edited",
        id,
        () -> {
          boolean replayed;
          try {
            replayed = bus.deadLetters().replay(id, body);
          } catch (FerryException e) { // MalformedMessage or UnknownMessageType: not sent
            throw new BadRequestException(e.getMessage());
          }
          if (!replayed) {
            throw new NotFoundException("No dead letter " + id + " (replayed or purged?)");
          }
          return true;
        },
        ok -> "replayed with an edited body (" + body.length + " bytes)");
  }

  public long purge(List<String> ids, String operator) {
    return audited(
        operator,
        "purge",
        target(ids),
        () -> {
          long n = 0;
          for (String id : ids) {
            if (bus.deadLetters().purge(id)) {
              n++;
            }
          }
          return n;
        },
        n -> "purged " + n + " of " + ids.size());
  }

  public long purge(DeadLetterFilter filter, String operator) {
    return audited(
        operator,
        "purge",
        "query " + filter.describe(),
        () -> {
          if (filter.exceptionType() == null) {
            return bus.deadLetters().purge(filter.query());
          }
          long n = 0;
          for (DeadLetter d : list(filter)) {
            if (bus.deadLetters().purge(d.id())) {
              n++;
            }
          }
          return n;
        },
        n -> "purged " + n);
  }

  /** Moves a native dead-letter queue's messages into the store. */
  public int drain(String name, String operator) {
    NativeDrain drain =
        Optional.ofNullable(drains.get(name))
            .orElseThrow(() -> new NotFoundException("No native dead-letter queue named " + name));
    return audited(operator, "drain", name, () -> drain.drain(name), n -> "moved " + n);
  }

  private static String target(List<String> ids) {
    if (ids.isEmpty()) {
      throw new BadRequestException("No dead letter ids given");
    }
    String joined = String.join(",", ids);
    return joined.length() <= 1000
        ? joined
        : joined.substring(0, 1000) + "... (" + ids.size() + ")";
  }

  private interface Action<T> {
    T run() throws Exception;
  }

  private <T> T audited(
      String operator, String action, String target, Action<T> work, Function<T, String> describe) {
    T result;
    try {
      result = work.run();
    } catch (BadRequestException | NotFoundException e) {
      record(operator, action, target, "rejected: " + e.getMessage());
      throw e;
    } catch (Exception e) {
      record(operator, action, target, "failed: " + Redaction.text(e.toString()));
      throw e instanceof RuntimeException r ? r : new FerryException(e.getMessage(), e);
    }
    record(operator, action, target, describe.apply(result));
    return result;
  }

  private void record(String operator, String action, String target, String result) {
    AuditEntry entry = new AuditEntry(clock.instant(), operator, action, target, result);
    log.info("Console: {} {} {} -> {}", operator, action, target, result);
    audit.record(entry);
  }
}
