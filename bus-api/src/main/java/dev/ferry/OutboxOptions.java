package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;
import java.time.Duration;

/**
 * How the outbox relay claims stored outgoing messages; for {@link
 * BusBuilder#outbox(OutboxOptions)}. Immutable: each setter returns a new instance, and only the
 * values set override configuration.
 */
public final class OutboxOptions extends BusOptions<OutboxOptions> {
  private static final OutboxOptions DEFAULTS = new OutboxOptions(new ConfigOverrides());

  private OutboxOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static OutboxOptions defaults() {
    return DEFAULTS;
  }

  @Override
  OutboxOptions create(ConfigOverrides values) {
    return new OutboxOptions(values);
  }

  /** {@code ferry.outbox.lease}: how long a node owns the outgoing messages it claimed. */
  public OutboxOptions lease(Duration lease) {
    return with(FerryKeys.OUTBOX_LEASE, lease);
  }

  /** {@code ferry.outbox.poll-interval}: how often the relay looks for messages left or due. */
  public OutboxOptions pollInterval(Duration interval) {
    return with(FerryKeys.OUTBOX_POLL_INTERVAL, interval);
  }

  /** {@code ferry.outbox.batch-size}: outgoing messages the relay claims at once. */
  public OutboxOptions batchSize(int size) {
    return with(FerryKeys.OUTBOX_BATCH, size);
  }
}
