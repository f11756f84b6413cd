package dev.ferry;

import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryKeys;
import java.time.Duration;

/**
 * Requests waiting for replies; for {@link BusBuilder#requests(RequestOptions)}. Immutable: each
 * setter returns a new instance, and only the values set override configuration.
 */
public final class RequestOptions extends BusOptions<RequestOptions> {
  private static final RequestOptions DEFAULTS = new RequestOptions(new ConfigOverrides());

  private RequestOptions(ConfigOverrides values) {
    super(values);
  }

  /** No value set: every key keeps its configured value or default. */
  public static RequestOptions defaults() {
    return DEFAULTS;
  }

  @Override
  RequestOptions create(ConfigOverrides values) {
    return new RequestOptions(values);
  }

  /** {@code ferry.request.timeout}: the default time to wait for a reply. */
  public RequestOptions timeout(Duration timeout) {
    return with(FerryKeys.REQUEST_TIMEOUT, timeout);
  }

  /** {@code ferry.request.max-pending}: requests waiting for replies at most. */
  public RequestOptions maxPending(int requests) {
    return with(FerryKeys.REQUEST_MAX_PENDING, requests);
  }
}
