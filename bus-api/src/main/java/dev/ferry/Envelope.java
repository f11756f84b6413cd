package dev.ferry;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The transport-neutral message: metadata plus the serialized body. Every transport carries the
 * same fields (see {@code docs/wire-format.md}); adapters map them onto their native headers.
 *
 * <p>Immutable; {@link #toBuilder()} derives a changed copy.
 */
public final class Envelope {
  private final String id;
  private final String messageType;
  private final String contentType;
  private final String correlationId;
  private final String causationId;
  private final String replyTo;
  private final String replyType;
  private final String source;
  private final Instant sentAt;
  private final Instant deliverBy;
  private final Instant scheduledFor;
  private final int attempts;
  private final String tenant;
  private final String traceParent;
  private final String traceState;
  private final Map<String, String> headers;
  private final byte[] body;

  private Envelope(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.messageType = b.messageType;
    this.contentType = b.contentType;
    this.correlationId = b.correlationId;
    this.causationId = b.causationId;
    this.replyTo = b.replyTo;
    this.replyType = b.replyType;
    this.source = b.source;
    this.sentAt = b.sentAt;
    this.deliverBy = b.deliverBy;
    this.scheduledFor = b.scheduledFor;
    this.attempts = b.attempts;
    this.tenant = b.tenant;
    this.traceParent = b.traceParent;
    this.traceState = b.traceState;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.body = b.body == null ? new byte[0] : b.body;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.messageType = messageType;
    b.contentType = contentType;
    b.correlationId = correlationId;
    b.causationId = causationId;
    b.replyTo = replyTo;
    b.replyType = replyType;
    b.source = source;
    b.sentAt = sentAt;
    b.deliverBy = deliverBy;
    b.scheduledFor = scheduledFor;
    b.attempts = attempts;
    b.tenant = tenant;
    b.traceParent = traceParent;
    b.traceState = traceState;
    b.headers.putAll(headers);
    b.body = body;
    return b;
  }

  /** Unique message id; the inbox deduplicates on it. */
  public String id() {
    return id;
  }

  /** The registered alias of the body's type ({@link MessageType}); may be null on bad input. */
  public String messageType() {
    return messageType;
  }

  public String contentType() {
    return contentType;
  }

  /** Ties together every message of one conversation; propagated to cascades. */
  public String correlationId() {
    return correlationId;
  }

  /** The id of the message whose handling caused this one. */
  public String causationId() {
    return causationId;
  }

  /** The address a reply goes to, e.g. {@code "jms:queue:ferry.replies.node-1"}. */
  public String replyTo() {
    return replyTo;
  }

  /** For a request: the alias of the reply type the sender waits for. */
  public String replyType() {
    return replyType;
  }

  /** The name of the sending service. */
  public String source() {
    return source;
  }

  public Instant sentAt() {
    return sentAt;
  }

  /** After this instant the message is discarded unhandled; null means never. */
  public Instant deliverBy() {
    return deliverBy;
  }

  /** When set, the message must not be delivered before this instant. */
  public Instant scheduledFor() {
    return scheduledFor;
  }

  /** Failed handling attempts before this delivery (carried on scheduled retries). */
  public int attempts() {
    return attempts;
  }

  public String tenant() {
    return tenant;
  }

  /** W3C trace context {@code traceparent}. */
  public String traceParent() {
    return traceParent;
  }

  /** W3C trace context {@code tracestate}. */
  public String traceState() {
    return traceState;
  }

  /** User headers; names are case-sensitive. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The serialized message. The array is shared: do not modify it. */
  public byte[] body() {
    return body;
  }

  public boolean isExpired(Instant now) {
    return deliverBy != null && now.isAfter(deliverBy);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Envelope e)) {
      return false;
    }
    return attempts == e.attempts
        && id.equals(e.id)
        && Objects.equals(messageType, e.messageType)
        && Objects.equals(contentType, e.contentType)
        && Objects.equals(correlationId, e.correlationId)
        && Objects.equals(causationId, e.causationId)
        && Objects.equals(replyTo, e.replyTo)
        && Objects.equals(replyType, e.replyType)
        && Objects.equals(source, e.source)
        && Objects.equals(sentAt, e.sentAt)
        && Objects.equals(deliverBy, e.deliverBy)
        && Objects.equals(scheduledFor, e.scheduledFor)
        && Objects.equals(tenant, e.tenant)
        && Objects.equals(traceParent, e.traceParent)
        && Objects.equals(traceState, e.traceState)
        && headers.equals(e.headers)
        && Arrays.equals(body, e.body);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "Envelope{id=" + id + ", type=" + messageType + ", attempts=" + attempts + "}";
  }

  /** Builds an {@link Envelope}; only the id is required and defaults to a random UUID. */
  public static final class Builder {
    private String id = UUID.randomUUID().toString();
    private String messageType;
    private String contentType;
    private String correlationId;
    private String causationId;
    private String replyTo;
    private String replyType;
    private String source;
    private Instant sentAt;
    private Instant deliverBy;
    private Instant scheduledFor;
    private int attempts;
    private String tenant;
    private String traceParent;
    private String traceState;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;

    private Builder() {}

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder messageType(String messageType) {
      this.messageType = messageType;
      return this;
    }

    public Builder contentType(String contentType) {
      this.contentType = contentType;
      return this;
    }

    public Builder correlationId(String correlationId) {
      this.correlationId = correlationId;
      return this;
    }

    public Builder causationId(String causationId) {
      this.causationId = causationId;
      return this;
    }

    public Builder replyTo(String replyTo) {
      this.replyTo = replyTo;
      return this;
    }

    public Builder replyType(String replyType) {
      this.replyType = replyType;
      return this;
    }

    public Builder source(String source) {
      this.source = source;
      return this;
    }

    public Builder sentAt(Instant sentAt) {
      this.sentAt = sentAt;
      return this;
    }

    public Builder deliverBy(Instant deliverBy) {
      this.deliverBy = deliverBy;
      return this;
    }

    public Builder scheduledFor(Instant scheduledFor) {
      this.scheduledFor = scheduledFor;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder tenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public Builder traceParent(String traceParent) {
      this.traceParent = traceParent;
      return this;
    }

    public Builder traceState(String traceState) {
      this.traceState = traceState;
      return this;
    }

    public Builder header(String name, String value) {
      if (value == null) {
        headers.remove(name);
      } else {
        headers.put(Objects.requireNonNull(name, "header name"), value);
      }
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    public Builder body(byte[] body) {
      this.body = body;
      return this;
    }

    public Envelope build() {
      return new Envelope(this);
    }
  }
}
