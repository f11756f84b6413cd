package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.ErrorPolicy.Step;
import dev.ferry.MalformedMessageException;
import dev.ferry.MessageTooLargeException;
import dev.ferry.NoHandlerException;
import dev.ferry.Reasons;
import dev.ferry.UnknownMessageTypeException;
import dev.ferry.internal.handlers.HandlerDescriptor;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.HandlingScope;
import dev.ferry.spi.OutgoingEnvelope;
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
 * decide once what happens to each message ({@link Decision}). Attempts are counted as {@link
 * Delivery#priorAttempts()} describes: the error policy's step for a failure is the one at the
 * index of the failed attempts before it.
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

  /** The first failure of a batch: which message, and how it failed. */
  private record BatchFailure(Readable readable, Throwable failure) {}

  /** Wraps a handler's failure so that it is told apart from a failure of the store. */
  private static final class HandlerFailure extends Exception {
    private static final long serialVersionUID = 1L;

    HandlerFailure(Throwable cause) {
      super(cause);
    }
  }

  @Override
  public List<Decision> handle(List<Delivery> deliveries) {
    List<Decision> result = new ArrayList<>(deliveries.size());
    List<Readable> readable = new ArrayList<>(deliveries.size());
    List<Integer> positions = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      parts.counters.received.increment();
      Object outcome = read(d);
      result.add(outcome instanceof Decision s ? s : null);
      if (outcome instanceof Readable r) {
        readable.add(r);
        positions.add(result.size() - 1);
      }
    }
    BatchFailure batchFailure = null;
    if (readable.size() > 1) {
      Object batch = tryBatch(readable);
      if (batch instanceof Decision.RedeliverBatch again) {
        positions.forEach(i -> result.set(i, again));
        return result;
      }
      if (batch == null) {
        positions.forEach(i -> result.set(i, Decision.complete()));
        return result;
      }
      batchFailure = (BatchFailure) batch;
    }
    // One by one: alone, or after a batch failed. The message that failed the batch has that
    // failure counted as its attempt; the others had no failure of their own.
    for (int i = 0; i < readable.size(); i++) {
      Readable r = readable.get(i);
      Throwable failed =
          batchFailure != null && batchFailure.readable() == r ? batchFailure.failure() : null;
      result.set(positions.get(i), handleWithPolicy(r, failed));
    }
    return result;
  }

  /** Whether the store answers: listeners hold their messages while it does not. */
  @Override
  public boolean ready() {
    try {
      parts.store.ping();
      return true;
    } catch (Exception | Error e) {
      log.debug("Store of {} does not answer: {}", endpointText, e.toString());
      return false;
    }
  }

  /** Either a {@link Decision} (nothing to handle) or a {@link Readable}. */
  private Object read(Delivery d) {
    Envelope e = d.envelope();
    if (d.malformed() != null) {
      return deadLetter(
          d,
          Reasons.MALFORMED_HEADERS,
          new MalformedMessageException(
              "Message " + e.id() + " has unreadable headers: " + d.malformed()),
          d.priorAttempts() + 1);
    }
    if (d.oversizeBody() >= 0) {
      return deadLetter(
          d,
          Reasons.TOO_LARGE,
          new MessageTooLargeException(
              "Message "
                  + e.id()
                  + " has a body of "
                  + d.oversizeBody()
                  + " bytes, over the receive limit; the dead letter keeps its first "
                  + (e.body() == null ? 0 : e.body().length)
                  + " bytes"),
          d.priorAttempts() + 1);
    }
    String unstorable = parts.store.unstorable(e);
    if (unstorable != null) {
      return deadLetter(
          d,
          Reasons.UNSTORABLE,
          new MalformedMessageException(
              "Message " + e.id() + " cannot be stored as it is: " + unstorable),
          d.priorAttempts() + 1);
    }
    String bodyKind = e.headers().get(Reasons.ORIGINAL_BODY_KIND_HEADER);
    if (bodyKind != null) {
      return deadLetter(
          d,
          Reasons.UNSUPPORTED_BODY,
          new MalformedMessageException(
              "Message "
                  + e.id()
                  + " has a body of a kind the bus does not read ("
                  + bodyKind
                  + "); the dead letter keeps it in that encoding"),
          d.priorAttempts() + 1);
    }
    if (!parts.serializer.reads(e.contentType())) {
      return deadLetter(
          d,
          Reasons.UNSUPPORTED_CONTENT_TYPE,
          new MalformedMessageException(
              "Message "
                  + e.id()
                  + " has content type '"
                  + e.contentType()
                  + "', which this service's serializer ("
                  + parts.serializer.contentType()
                  + ") does not read"),
          d.priorAttempts() + 1);
    }
    if (e.messageType() == null || e.messageType().isBlank()) {
      return deadLetter(
          d,
          Reasons.MISSING_MESSAGE_TYPE,
          new MalformedMessageException("Message " + e.id() + " has no message type header"),
          d.priorAttempts() + 1);
    }
    Class<?> type = parts.types.classOf(e.messageType()).orElse(null);
    if (type == null) {
      return deadLetter(
          d,
          Reasons.UNKNOWN_MESSAGE_TYPE,
          new UnknownMessageTypeException(
              "Message type '"
                  + e.messageType()
                  + "' is not registered in service '"
                  + parts.settings.serviceName()
                  + "'"),
          d.priorAttempts() + 1);
    }
    if (e.isExpired(Instant.now())) {
      parts.counters.expired.increment();
      parts.observers.dropped(e, endpoint, Reasons.EXPIRED);
      log.info(
          "Discarded expired message {} ({}), deliver-by {} passed",
          e.id(),
          e.messageType(),
          e.deliverBy());
      return Decision.drop(Reasons.EXPIRED);
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
          Reasons.NO_HANDLER,
          new NoHandlerException(
              "No handler for '"
                  + e.messageType()
                  + "' in service '"
                  + parts.settings.serviceName()
                  + "' at "
                  + endpointText),
          d.priorAttempts() + 1);
    }
    Object message;
    try {
      message = parts.serializer.deserialize(e.body(), type);
    } catch (Exception ex) {
      return deadLetter(
          d,
          Reasons.MALFORMED_BODY,
          new MalformedMessageException(
              "Cannot read the body of "
                  + e.id()
                  + " as "
                  + e.messageType()
                  + ": "
                  + ex.getMessage(),
              ex),
          d.priorAttempts() + 1);
    }
    if (message == null) {
      return deadLetter(
          d,
          Reasons.MALFORMED_BODY,
          new MalformedMessageException("The body of " + e.id() + " is empty or null"),
          d.priorAttempts() + 1);
    }
    return new Readable(d, message, handlers);
  }

  /**
   * All messages in one unit of work. Returns null when all were handled, a {@link BatchFailure}
   * when a handler failed (then nothing committed, and each goes on its own), or a {@link
   * Decision.RedeliverBatch} when the store failed.
   */
  @SuppressWarnings("try") // the observers' scope is held around the attempt, never named in it
  private Object tryBatch(List<Readable> batch) {
    List<HandlerContext> contexts = new ArrayList<>(batch.size());
    BatchFailure[] failed = new BatchFailure[1];
    try {
      parts.store.inTransaction(
          uow -> {
            Set<Readable> skip = recordInbox(uow, batch);
            for (Readable r : batch) {
              Envelope e = r.delivery().envelope();
              if (skip.contains(r)) {
                continue;
              }
              int attempt = r.delivery().priorAttempts() + 1;
              HandlerContext ctx =
                  new HandlerContext(e, endpoint, attempt, uow, parts.factory, parts.observers);
              parts.observers.received(e, endpoint, attempt);
              HandlingScope scope = parts.observers.around(e, endpoint, attempt);
              try {
                runHandlers(r, ctx);
              } catch (Exception | Error failure) {
                scope.failed(failure);
                failed[0] = new BatchFailure(r, failure);
                throw new HandlerFailure(failure);
              } finally {
                scope.close();
              }
              contexts.add(ctx);
            }
            List<OutgoingEnvelope> cascades = new ArrayList<>();
            contexts.forEach(c -> cascades.addAll(c.cascades));
            parts.outbox.enlist(uow, cascades); // one write for the whole batch
            return null;
          });
    } catch (HandlerFailure hf) {
      log.debug("Batch of {} on {} failed; handling one by one", batch.size(), endpointText, hf);
      return failed[0];
    } catch (Exception | Error storeFailure) {
      log.warn(
          "Store failed while handling a batch of {} on {}; the transport will redeliver it",
          batch.size(),
          endpointText,
          storeFailure);
      return Decision.redeliverBatch(INFRASTRUCTURE_BACKOFF, storeFailure.toString());
    }
    afterHandled(contexts);
    return null;
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
      parts.observers.dropped(r.delivery().envelope(), endpoint, Reasons.DUPLICATE);
    }
    return skip;
  }

  /**
   * Runs the handlers until they succeed or the error policy says otherwise.
   *
   * @param failedInBatch the failure of this message's attempt in a batch, which counts as its
   *     first attempt here, or null
   */
  @SuppressWarnings("try") // the observers' scope is held around the attempt, never named in it
  private Decision handleWithPolicy(Readable r, Throwable failedInBatch) {
    Delivery d = r.delivery();
    Envelope e = d.envelope();
    int failedBefore = d.priorAttempts(); // the failed attempts before the next one
    ErrorPolicy policy = null;
    Instant firstFailedAt = null;
    while (true) {
      int attempt = failedBefore + 1;
      Throwable failure = failedInBatch;
      failedInBatch = null;
      if (failure == null) {
        HandlerContext[] ctx = new HandlerContext[1];
        try {
          parts.store.inTransaction(
              uow -> {
                if (!recordInbox(uow, e)) {
                  return null;
                }
                ctx[0] =
                    new HandlerContext(e, endpoint, attempt, uow, parts.factory, parts.observers);
                parts.observers.received(e, endpoint, attempt);
                HandlingScope scope = parts.observers.around(e, endpoint, attempt);
                try {
                  runHandlers(r, ctx[0]);
                } catch (Exception | Error handlerFailure) {
                  scope.failed(handlerFailure);
                  throw new HandlerFailure(handlerFailure);
                } finally {
                  scope.close();
                }
                parts.outbox.enlist(uow, ctx[0].cascades);
                return null;
              });
          if (ctx[0] == null) {
            return Decision.drop(Reasons.DUPLICATE);
          }
          afterHandled(List.of(ctx[0]));
          return Decision.complete();
        } catch (HandlerFailure hf) {
          failure = hf.getCause();
        } catch (Exception | Error storeFailure) {
          log.warn(
              "Store failed while handling {} on {}; the transport will redeliver it",
              e.id(),
              endpointText,
              storeFailure);
          return Decision.redeliverBatch(INFRASTRUCTURE_BACKOFF, storeFailure.toString());
        }
      }
      parts.counters.failures.increment();
      parts.observers.failed(e, endpoint, failure, attempt);
      if (firstFailedAt == null) {
        firstFailedAt = Instant.now();
      }
      if (policy == null) {
        policy = parts.failurePlan.select(failure, r.message().getClass());
      }
      Step step = parts.failurePlan.stepFor(policy, failedBefore);
      failedBefore++;
      Decision decided = apply(step, r, failure, failedBefore, firstFailedAt);
      if (decided != null) {
        return decided;
      }
    }
  }

  /**
   * Applies a step after {@code failedSoFar} failed attempts; null means: run the handlers again
   * now.
   */
  private Decision apply(
      Step step, Readable r, Throwable failure, int failedSoFar, Instant firstFailedAt) {
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
          return Decision.requeue(Duration.ZERO, failedSoFar);
        }
        return null;
      case REQUEUE:
        parts.counters.retries.increment();
        log.info(
            "Requeueing {} ({}) after failure {}: {}",
            e.id(),
            e.messageType(),
            failedSoFar,
            failure.toString());
        return Decision.requeue(step.delay(), failedSoFar);
      case SCHEDULE_RETRY:
        parts.counters.retries.increment();
        return scheduleRetry(r, failure, FailurePlan.delayOf(step), failedSoFar);
      case DISCARD:
        parts.counters.discarded.increment();
        parts.observers.dropped(e, endpoint, Reasons.DISCARDED);
        log.warn(
            "Discarded {} ({}) after {} failure(s) as its error policy says",
            e.id(),
            e.messageType(),
            failedSoFar,
            failure);
        return Decision.drop(Reasons.DISCARDED);
      case DEAD_LETTER:
      default:
        return deadLetters.deadLetter(
            r.delivery(), Reasons.HANDLER_FAILED, failure, failedSoFar, firstFailedAt);
    }
  }

  private Decision scheduleRetry(Readable r, Throwable failure, Duration delay, int failed) {
    Envelope e = r.delivery().envelope();
    Instant at = Instant.now().plus(delay);
    Envelope copy = e.toBuilder().attempts(failed).scheduledFor(at).build();
    // Back to this endpoint only: for a subscription, the other subscribers already have theirs.
    OutgoingEnvelope out = new OutgoingEnvelope(copy, endpoint, parts.nativeScheduling ? null : at);
    try {
      parts.outbox.submit(List.of(out));
    } catch (Exception storeFailure) {
      log.warn(
          "Could not schedule a retry of {}; the transport will redeliver it",
          e.id(),
          storeFailure);
      return Decision.redeliverBatch(INFRASTRUCTURE_BACKOFF, storeFailure.toString());
    }
    log.info(
        "Scheduled a retry of {} ({}) at {} after: {}",
        e.id(),
        e.messageType(),
        at,
        failure.toString());
    return Decision.complete();
  }

  private boolean recordInbox(dev.ferry.spi.UnitOfWork uow, Envelope e) throws Exception {
    if (!parts.settings.durableInbox()) {
      return true;
    }
    if (parts.store.recordIncoming(uow, endpointText, e.id())) {
      return true;
    }
    parts.counters.duplicates.increment();
    parts.observers.dropped(e, endpoint, Reasons.DUPLICATE);
    log.debug("Skipped duplicate {} on {}", e.id(), endpointText);
    return false;
  }

  /** Runs the message's handlers, within the handler timeout. */
  private void runHandlers(Readable r, HandlerContext ctx) throws Exception {
    parts.watchdog.run(
        r.delivery().envelope().id(),
        () -> {
          for (HandlerDescriptor h : r.handlers()) {
            Object returned = h.invoker().invoke(r.message(), ctx);
            ctx.cascadeReturned(returned, parts.types::aliasOf);
          }
        });
  }

  private void afterHandled(List<HandlerContext> contexts) {
    for (HandlerContext ctx : contexts) {
      parts.counters.handled.increment();
      parts.observers.handled(ctx.envelope(), endpoint);
    }
  }

  private Decision deadLetter(Delivery d, String reason, Throwable failure, int attempts) {
    return deadLetters.deadLetter(d, reason, failure, attempts, null);
  }
}
