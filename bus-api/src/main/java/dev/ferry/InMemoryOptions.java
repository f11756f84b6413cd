package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;

/**
 * Bounds of what is held in memory: the in-memory store (when no durable store is given) and the
 * queues of the local transport; for {@link BusBuilder#inMemory(InMemoryOptions)}. Immutable: each
 * setter returns a new instance, and only the values set override configuration.
 */
public final class InMemoryOptions extends BusOptions<InMemoryOptions> {
  private static final InMemoryOptions DEFAULTS = new InMemoryOptions(new ConfigOverrides());

  private InMemoryOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static InMemoryOptions defaults() {
    return DEFAULTS;
  }

  @Override
  InMemoryOptions create(ConfigOverrides values) {
    return new InMemoryOptions(values);
  }

  /** {@code ferry.memory.outbox-capacity}: outgoing messages the in-memory store holds. */
  public InMemoryOptions outboxCapacity(int messages) {
    return with(FerryKeys.MEMORY_OUTBOX_CAPACITY, messages);
  }

  /** {@code ferry.memory.inbox-capacity}: message ids remembered for duplicate detection. */
  public InMemoryOptions inboxCapacity(int ids) {
    return with(FerryKeys.MEMORY_INBOX_CAPACITY, ids);
  }

  /** {@code ferry.memory.dead-letter-capacity}: dead letters the in-memory store keeps. */
  public InMemoryOptions deadLetterCapacity(int deadLetters) {
    return with(FerryKeys.MEMORY_DEAD_LETTER_CAPACITY, deadLetters);
  }

  /** {@code ferry.local.queue-capacity}: messages a local transport queue holds at most. */
  public InMemoryOptions queueCapacity(int messages) {
    return with(FerryKeys.LOCAL_QUEUE_CAPACITY, messages);
  }
}
