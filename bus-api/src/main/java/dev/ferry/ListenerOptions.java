package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;
import java.time.Duration;

/**
 * How listeners take and handle messages; for {@link BusBuilder#listeners(ListenerOptions)}.
 * Immutable: each setter returns a new instance, and only the values set override configuration.
 *
 * <pre>{@code
 * MessageBus.builder().listeners(ListenerOptions.defaults().concurrency(8).prefetch(32))
 * }</pre>
 */
public final class ListenerOptions extends BusOptions<ListenerOptions> {
  private static final ListenerOptions DEFAULTS = new ListenerOptions(new ConfigOverrides());

  private ListenerOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static ListenerOptions defaults() {
    return DEFAULTS;
  }

  @Override
  ListenerOptions create(ConfigOverrides values) {
    return new ListenerOptions(values);
  }

  /** {@code ferry.listener.concurrency}: messages handled at once per listening endpoint. */
  public ListenerOptions concurrency(int concurrency) {
    return with(FerryKeys.LISTENER_CONCURRENCY, concurrency);
  }

  /** {@code ferry.listener.prefetch}: messages a listener may buffer ahead of its handlers. */
  public ListenerOptions prefetch(int prefetch) {
    return with(FerryKeys.LISTENER_PREFETCH, prefetch);
  }

  /** {@code ferry.listener.max-batch}: messages handled in one unit of work when waiting. */
  public ListenerOptions maxBatch(int maxBatch) {
    return with(FerryKeys.LISTENER_MAX_BATCH, maxBatch);
  }

  /** {@code ferry.inbox.durable}: whether handled ids go to a durable store's inbox. */
  public ListenerOptions durableInbox(boolean durable) {
    return with(FerryKeys.DURABLE_INBOX, durable);
  }

  /** {@code ferry.handler.timeout}: how long the handlers of one message may run. */
  public ListenerOptions handlerTimeout(Duration timeout) {
    return with(FerryKeys.HANDLER_TIMEOUT, timeout);
  }
}
