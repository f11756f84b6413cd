package dev.ferry.internal.runtime;

import dev.ferry.BackPressureException;
import dev.ferry.Envelope;
import dev.ferry.MalformedMessageException;
import dev.ferry.RequestTimeoutException;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests waiting for replies, keyed by the request's id (a reply's causation id). Bounded: past
 * {@code ferry.request.max-pending} new requests fail at once instead of piling up.
 */
final class RequestReplies implements DeliveryHandler {
  private static final Logger log = LoggerFactory.getLogger(RequestReplies.class);

  private record Pending(CompletableFuture<Object> future, Class<?> replyType) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int maxPending;
  private final RuntimeParts parts;
  private final ScheduledExecutorService timer;

  RequestReplies(RuntimeParts parts, ScheduledExecutorService timer) {
    this.parts = parts;
    this.timer = timer;
    this.maxPending = parts.settings.requestMaxPending();
  }

  @SuppressWarnings("unchecked")
  <R> CompletableFuture<R> register(String requestId, Class<R> replyType, Duration timeout) {
    if (size.incrementAndGet() > maxPending) {
      size.decrementAndGet();
      throw new BackPressureException(
          maxPending + " requests are already waiting for replies (ferry.request.max-pending)");
    }
    CompletableFuture<Object> future = new CompletableFuture<>();
    pending.put(requestId, new Pending(future, replyType));
    var timeoutTask =
        timer.schedule(
            () -> {
              if (remove(requestId) != null) {
                future.completeExceptionally(
                    new RequestTimeoutException(
                        "No reply of type "
                            + replyType.getSimpleName()
                            + " to request "
                            + requestId
                            + " within "
                            + timeout));
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    future.whenComplete((v, e) -> timeoutTask.cancel(false));
    return (CompletableFuture<R>) future;
  }

  /** Fails a request that could not be sent. */
  void fail(String requestId, Throwable cause) {
    Pending p = remove(requestId);
    if (p != null) {
      p.future().completeExceptionally(cause);
    }
  }

  private Pending remove(String requestId) {
    Pending p = pending.remove(requestId);
    if (p != null) {
      size.decrementAndGet();
    }
    return p;
  }

  @Override
  public List<Decision> handle(List<Delivery> deliveries) {
    List<Decision> result = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      complete(d.envelope());
      result.add(Decision.complete()); // replies are never retried: the requester is waiting now
    }
    return result;
  }

  private void complete(Envelope reply) {
    Pending p = reply.causationId() == null ? null : remove(reply.causationId());
    if (p == null) {
      log.info(
          "Dropped a reply nobody waits for (late or unknown): {} caused by {}",
          reply.id(),
          reply.causationId());
      return;
    }
    try {
      Class<?> type =
          parts
              .types
              .classOf(reply.messageType())
              .orElseThrow(
                  () ->
                      new MalformedMessageException(
                          "Reply type '" + reply.messageType() + "' is not registered"));
      if (!p.replyType().isAssignableFrom(type)) {
        throw new MalformedMessageException(
            "Expected a reply of type " + p.replyType().getName() + " but got " + type.getName());
      }
      p.future().complete(parts.serializer.deserialize(reply.body(), type));
    } catch (Exception e) {
      p.future().completeExceptionally(e);
    }
  }

  void failAll(Throwable cause) {
    pending.keySet().forEach(id -> fail(id, cause));
  }
}
