package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.ErrorPolicy.Step;
import dev.ferry.MalformedMessageException;
import dev.ferry.NoHandlerException;
import dev.ferry.UnknownMessageTypeException;
import dev.ferry.internal.handlers.HandlerDescriptor;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive path of one endpoint: read the type and body, drop expired messages, run the handlers
 * in a unit of work with the inbox record and the cascades, apply the error policy on failure, and
 * tell the transport how to settle.
 */
final class Pipeline implements DeliveryHandler {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** How long a transport should wait before redelivering when our own store failed. */
  static final Duration INFRASTRUCTURE_BACKOFF = Duration.ofSeconds(1);

  private final Address endpoint;
  private final String endpointText;
  private final RuntimeParts parts;
  private final DeadLetterWriter deadLetters;

  /** The handlers listening on this endpoint; others of the same type listen elsewhere. */
  private final List<HandlerDescriptor> handlersHere;

  Pipeline(Address endpoint, List<HandlerDescriptor> handlersHere, RuntimeParts parts) {
    this.handlersHere = List.copyOf(handlersHere);
    this.endpoint = endpoint;
    this.endpointText = endpoint.toString();
    this.parts = parts;
    this.deadLetters = new DeadLetterWriter(endpoint, parts);
  }

  /** A message that was read successfully and is ready for its handlers. */
  private record Readable(Delivery delivery, Object message, List<HandlerDescriptor> handlers) {}

  /** Wraps a handler's failure so that it is told apart from a failure of the store. */
  private static final class HandlerFailure extends Exception {
    private static final long serialVersionUID = 1L;

    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  @Override
  public List<Settlement> handle(List<Delivery> deliveries) {
    List<Settlement> result = new ArrayList<>(deliveries.size());
    List<Readable> readable = new ArrayList<>(deliveries.size());
    List<Integer> positions = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      parts.counters.received.increment();
      Object outcome = read(d);
      result.add(outcome instanceof Settlement s ? s : null);
      if (outcome instanceof Readable r) {
        readable.add(r);
        positions.add(result.size() - 1);
      }
    }
    if (readable.size() > 1 && tryBatch(readable)) {
      positions.forEach(i -> result.set(i, Settlement.complete()));
      return result;
    }
    for (int i = 0; i < readable.size(); i++) {
      result.set(positions.get(i), handleWithPolicy(readable.get(i)));
    }
    return result;
  }

  /** Either a {@link Settlement} (nothing to handle) or a {@link Readable}. */
  private Object read(Delivery d) {
    Envelope e = d.envelope();
    if (d.malformed() != null) {
      return deadLetter(
          d,
          "malformed-headers",
          new MalformedMessageException(
              "Message " + e.id() + " has unreadable headers: " + d.malformed()),
          1);
    }
    if (e.messageType() == null || e.messageType().isBlank()) {
      return deadLetter(
          d,
          "missing-message-type",
          new MalformedMessageException("Message " + e.id() + " has no message type header"),
          1);
    }
    Class<?> type = parts.types.classOf(e.messageType()).orElse(null);
    if (type == null) {
      return deadLetter(
          d,
          "unknown-message-type",
          new UnknownMessageTypeException(
              "Message type '"
                  + e.messageType()
                  + "' is not registered in service '"
                  + parts.settings.serviceName()
                  + "'"),
          1);
    }
    if (e.isExpired(Instant.now())) {
      parts.counters.expired.increment();
      parts.observers.dropped(e, endpoint, "expired");
      log.info(
          "Discarded expired message {} ({}), deliver-by {} passed",
          e.id(),
          e.messageType(),
          e.deliverBy());
      return Settlement.complete();
    }
    List<HandlerDescriptor> handlers = new ArrayList<>();
    for (HandlerDescriptor h : handlersHere) {
      if (h.messageType().isAssignableFrom(type)) {
        handlers.add(h);
      }
    }
    if (handlers.isEmpty()) {
      return deadLetter(
          d,
          "no-handler",
          new NoHandlerException(
              "No handler for '"
                  + e.messageType()
                  + "' in service '"
                  + parts.settings.serviceName()
                  + "' at "
                  + endpointText),
          1);
    }
    Object message;
    try {
      message = parts.serializer.deserialize(e.body(), type);
    } catch (Exception ex) {
      return deadLetter(
          d,
          "malformed-body",
          new MalformedMessageException(
              "Cannot read the body of "
                  + e.id()
                  + " as "
                  + e.messageType()
                  + ": "
                  + ex.getMessage(),
              ex),
          1);
    }
    if (message == null) {
      return deadLetter(
          d,
          "malformed-body",
          new MalformedMessageException("The body of " + e.id() + " is empty or null"),
          1);
    }
    return new Readable(d, message, handlers);
  }

  /** All messages in one unit of work; false if anything failed (then each goes on its own). */
  private boolean tryBatch(List<Readable> batch) {
    List<HandlerContext> contexts = new ArrayList<>(batch.size());
    try {
      parts.store.inTransaction(
          uow -> {
            Set<Readable> skip = recordInbox(uow, batch);
            for (Readable r : batch) {
              Envelope e = r.delivery().envelope();
              if (skip.contains(r)) {
                continue;
              }
              HandlerContext ctx =
                  new HandlerContext(e, endpoint, 1 + e.attempts(), uow, parts.factory);
              parts.observers.received(e, endpoint, ctx.attempt());
              runHandlers(r, ctx);
              contexts.add(ctx);
            }
            List<OutgoingEnvelope> cascades = new ArrayList<>();
            contexts.forEach(c -> cascades.addAll(c.cascades));
            parts.outbox.enlist(uow, cascades); // one write for the whole batch
            return null;
          });
    } catch (Exception e) {
      log.debug("Batch of {} on {} failed; handling one by one", batch.size(), endpointText, e);
      return false;
    }
    afterHandled(contexts);
    return true;
  }

  /**
   * Records a batch in the inbox with one call; returns the deliveries to skip (already counted):
   * ids handled before, and repeats of an id within the batch.
   */
  private Set<Readable> recordInbox(dev.ferry.spi.UnitOfWork uow, List<Readable> batch)
      throws Exception {
    if (!parts.settings.durableInbox()) {
      return Set.of();
    }
    Set<Readable> skip = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.Map<String, Readable> first = new java.util.LinkedHashMap<>();
    for (Readable r : batch) {
      if (first.putIfAbsent(r.delivery().envelope().id(), r) != null) {
        skip.add(r);
      }
    }
    Set<String> seenBefore = parts.store.recordIncoming(uow, endpointText, first.keySet());
    first.forEach(
        (id, r) -> {
          if (seenBefore.contains(id)) {
            skip.add(r);
          }
        });
    for (Readable r : skip) {
      parts.counters.duplicates.increment();
      parts.observers.dropped(r.delivery().envelope(), endpoint, "duplicate");
    }
    return skip;
  }

  private Settlement handleWithPolicy(Readable r) {
    Delivery d = r.delivery();
    Envelope e = d.envelope();
    int localFailures = 0;
    ErrorPolicy policy = null;
    int firstIndex = 0;
    while (true) {
      int attempt =
          1
              + (policy == null
                  ? Math.max(0, e.attempts()) + Math.max(0, d.deliveryCount() - 1)
                  : firstIndex + localFailures);
      HandlerContext[] ctx = new HandlerContext[1];
      try {
        parts.store.inTransaction(
            uow -> {
              if (!recordInbox(uow, e)) {
                return null;
              }
              ctx[0] = new HandlerContext(e, endpoint, attempt, uow, parts.factory);
              parts.observers.received(e, endpoint, attempt);
              try {
                runHandlers(r, ctx[0]);
              } catch (Exception | Error failure) {
                throw new HandlerFailure(failure);
              }
              parts.outbox.enlist(uow, ctx[0].cascades);
              return null;
            });
        afterHandled(ctx[0] == null ? List.of() : List.of(ctx[0]));
        return Settlement.complete();
      } catch (HandlerFailure hf) {
        Throwable failure = hf.getCause();
        parts.counters.failures.increment();
        parts.observers.failed(e, endpoint, failure, attempt);
        if (policy == null) {
          policy = parts.failurePlan.select(failure, r.message().getClass());
          firstIndex = parts.failurePlan.firstIndex(policy, e.attempts(), d.deliveryCount());
        }
        Step step = parts.failurePlan.adapt(FailurePlan.stepAt(policy, firstIndex + localFailures));
        localFailures++;
        Settlement decided = apply(step, r, failure, firstIndex + localFailures);
        if (decided != null) {
          return decided;
        }
      } catch (Exception storeFailure) {
        log.warn(
            "Store failed while handling {} on {}; the transport will redeliver it",
            e.id(),
            endpointText,
            storeFailure);
        return Settlement.requeue(INFRASTRUCTURE_BACKOFF, -1);
      }
    }
  }

  /** Applies a step; null means: run the handlers again now. */
  private Settlement apply(Step step, Readable r, Throwable failure, int failuresSoFar) {
    Envelope e = r.delivery().envelope();
    switch (step.action()) {
      case RETRY:
        parts.counters.retries.increment();
        log.debug("Retrying {} ({}) after {}", e.id(), e.messageType(), failure.toString());
        return null;
      case RETRY_AFTER:
        parts.counters.retries.increment();
        Duration delay = FailurePlan.delayOf(step);
        log.debug("Retrying {} in {} after {}", e.id(), delay, failure.toString());
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return Settlement.requeue(Duration.ZERO, failuresSoFar);
        }
        return null;
      case REQUEUE:
        parts.counters.retries.increment();
        log.info(
            "Requeueing {} ({}) after failure {}: {}",
            e.id(),
            e.messageType(),
            failuresSoFar,
            failure.toString());
        return Settlement.requeue(Duration.ZERO, failuresSoFar);
      case SCHEDULE_RETRY:
        parts.counters.retries.increment();
        return scheduleRetry(r, failure, FailurePlan.delayOf(step), failuresSoFar);
      case DISCARD:
        parts.counters.discarded.increment();
        parts.observers.dropped(e, endpoint, "discarded by policy");
        log.warn(
            "Discarded {} ({}) after {} failure(s) as its error policy says",
            e.id(),
            e.messageType(),
            failuresSoFar,
            failure);
        return Settlement.complete();
      case DEAD_LETTER:
      default:
        return deadLetter(r.delivery(), "handler-failed", failure, failuresSoFar);
    }
  }

  private Settlement scheduleRetry(Readable r, Throwable failure, Duration delay, int failures) {
    Envelope e = r.delivery().envelope();
    Instant at = Instant.now().plus(delay);
    Envelope copy = e.toBuilder().attempts(failures).scheduledFor(at).build();
    // Back to this endpoint only: for a subscription, the other subscribers already have theirs.
    OutgoingEnvelope out = new OutgoingEnvelope(copy, endpoint, parts.nativeScheduling ? null : at);
    try {
      parts.outbox.submit(List.of(out));
    } catch (Exception storeFailure) {
      log.warn(
          "Could not schedule a retry of {}; the transport will redeliver it",
          e.id(),
          storeFailure);
      return Settlement.requeue(INFRASTRUCTURE_BACKOFF, -1);
    }
    log.info(
        "Scheduled a retry of {} ({}) at {} after: {}",
        e.id(),
        e.messageType(),
        at,
        failure.toString());
    return Settlement.complete();
  }

  private boolean recordInbox(dev.ferry.spi.UnitOfWork uow, Envelope e) throws Exception {
    if (!parts.settings.durableInbox()) {
      return true;
    }
    if (parts.store.recordIncoming(uow, endpointText, e.id())) {
      return true;
    }
    parts.counters.duplicates.increment();
    parts.observers.dropped(e, endpoint, "duplicate");
    log.debug("Skipped duplicate {} on {}", e.id(), endpointText);
    return false;
  }

  private void runHandlers(Readable r, HandlerContext ctx) throws Exception {
    for (HandlerDescriptor h : r.handlers()) {
      Object returned = h.invoker().invoke(r.message(), ctx);
      ctx.cascadeReturned(returned, parts.types::aliasOf);
    }
  }

  private void afterHandled(List<HandlerContext> contexts) {
    for (HandlerContext ctx : contexts) {
      parts.counters.handled.increment();
      parts.observers.handled(ctx.envelope(), endpoint);
    }
  }

  private Settlement deadLetter(Delivery d, String reason, Throwable failure, int attempts) {
    return deadLetters.deadLetter(d, reason, failure, attempts);
  }
}
