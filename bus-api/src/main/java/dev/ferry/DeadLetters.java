package dev.ferry;

import java.util.List;
import java.util.Optional;

/**
 * The one place where dead letters of every transport can be listed, replayed and purged. A
 * replayed message keeps its id and carries the {@link #REPLAY_HEADER} marker.
 */
public interface DeadLetters {

  /**
   * The header a replayed message carries: how many times it was replayed ({@code "1"}, {@code
   * "2"}, ...). Handlers see it in {@code context.envelope().headers()}; on Service Bus it also
   * gives the copy a MessageId of its own, so that duplicate detection does not drop the replay.
   */
  String REPLAY_HEADER = "ferry-replay";

  /** The newest first, at most {@code limit}. */
  default List<DeadLetter> list(int limit) {
    return list(DeadLetterQuery.all().limit(limit));
  }

  /** Dead letters received on one endpoint, newest first. */
  default List<DeadLetter> list(String endpoint, int limit) {
    return list(DeadLetterQuery.all().endpoint(endpoint).limit(limit));
  }

  /** The matching dead letters, newest first. */
  List<DeadLetter> list(DeadLetterQuery query);

  Optional<DeadLetter> find(String id);

  long count();

  /**
   * Sends the original envelope back to the endpoint it failed on, with its attempts reset and the
   * replay marker, and removes the dead letter, in one transaction. Returns false if no such dead
   * letter exists.
   */
  boolean replay(String id);

  /**
   * Replays every matching dead letter (each as {@link #replay(String)} does) that was
   * dead-lettered before this call; one that fails again while this runs is not replayed twice.
   * Returns how many were replayed.
   */
  int replay(DeadLetterQuery query);

  /**
   * Replays like {@link #replay(String)} with a corrected body in place of the original. The body
   * is first read as the dead letter's message type with the bus's serializer: one that does not
   * fit is rejected with {@link MalformedMessageException}, and a type this service has not
   * registered with {@link UnknownMessageTypeException}; either way nothing changes. Returns false
   * if no such dead letter exists.
   */
  boolean replay(String id, byte[] correctedBody);

  /** Removes the dead letter without replaying it. */
  boolean purge(String id);

  /** Removes the matching dead letters; returns how many. */
  long purge(DeadLetterQuery query);

  /** Removes every dead letter; returns how many. */
  default long purgeAll() {
    return purge(DeadLetterQuery.all());
  }
}
