package dev.ferry;

import java.util.List;
import java.util.Optional;

/** The one place where dead letters of every transport can be listed, replayed and purged. */
public interface DeadLetters {

  /** The newest first, at most {@code limit}. */
  List<DeadLetter> list(int limit);

  /** Dead letters received on one endpoint, newest first. */
  List<DeadLetter> list(String endpoint, int limit);

  Optional<DeadLetter> find(String id);

  long count();

  /**
   * Sends the original envelope back to the endpoint it failed on, with its attempts reset, and
   * removes the dead letter. Returns false if no such dead letter exists.
   */
  boolean replay(String id);

  /** Removes the dead letter without replaying it. */
  boolean purge(String id);

  /** Removes every dead letter; returns how many. */
  long purgeAll();
}
