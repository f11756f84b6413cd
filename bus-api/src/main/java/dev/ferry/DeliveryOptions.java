package dev.ferry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-message options for {@link MessageBus#send(Object, DeliveryOptions)} and friends. Everything
 * is optional: {@link #none()} sends with routing defaults.
 */
public final class DeliveryOptions {
  private static final DeliveryOptions NONE = builder().build();

  private final Address destination;
  private final Map<String, String> headers;
  private final String correlationId;
  private final String tenant;
  private final Duration timeToLive;
  private final Instant deliverBy;
  private final String messageId;

  private DeliveryOptions(Builder b) {
    this.destination = b.destination;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.correlationId = b.correlationId;
    this.tenant = b.tenant;
    this.timeToLive = b.timeToLive;
    this.deliverBy = b.deliverBy;
    this.messageId = b.messageId;
  }

  public static DeliveryOptions none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Explicit destination that overrides routing; null means routed. */
  public Address destination() {
    return destination;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public String correlationId() {
    return correlationId;
  }

  public String tenant() {
    return tenant;
  }

  public Duration timeToLive() {
    return timeToLive;
  }

  public Instant deliverBy() {
    return deliverBy;
  }

  /** A caller-chosen message id, useful to make a retried send idempotent at the receiver. */
  public String messageId() {
    return messageId;
  }

  /** Builds {@link DeliveryOptions}. */
  public static final class Builder {
    private Address destination;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String correlationId;
    private String tenant;
    private Duration timeToLive;
    private Instant deliverBy;
    private String messageId;

    private Builder() {}

    public Builder destination(Address destination) {
      this.destination = destination;
      return this;
    }

    public Builder destination(String address) {
      return destination(Address.parse(address));
    }

    /**
     * A header carried with the message. Names starting with {@code ferry-original-} are written
     * only by transports' readers, about what they received, and are refused here.
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      if (name.startsWith(Reasons.READER_HEADER_PREFIX)) {
        throw new IllegalArgumentException(
            "Header names starting with '"
                + Reasons.READER_HEADER_PREFIX
                + "' are written by the transports' readers only: "
                + name);
      }
      headers.put(name, Objects.requireNonNull(value, "value"));
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    /** Discard the message if it is not handled within this time after sending. */
    public Builder timeToLive(Duration timeToLive) {
      if (timeToLive != null && (timeToLive.isNegative() || timeToLive.isZero())) {
        throw new IllegalArgumentException("timeToLive must be positive: " + timeToLive);
      }
      this.timeToLive = timeToLive;
      return this;
    }

    /** Discard the message if it is not handled by this instant. */
    public Builder deliverBy(Instant deliverBy) {
      this.deliverBy = deliverBy;
      return this;
    }

    public Builder messageId(String messageId) {
      this.messageId = messageId;
      return this;
    }

    public DeliveryOptions build() {
      return new DeliveryOptions(this);
    }
  }
}
