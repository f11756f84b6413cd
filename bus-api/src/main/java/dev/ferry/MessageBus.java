package dev.ferry;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Sends, publishes, schedules and requests messages, and hosts the handlers of this service.
 *
 * <p>Inside a unit of work (a handler, or a transaction the store joins such as a JDBI transaction
 * or a JTA transaction) outgoing messages are stored with the business data and leave only after
 * commit. Outside one they leave at once.
 *
 * <p>{@code send}, {@code publish}, {@code schedule} and {@code invoke} are synchronous: they
 * return once their work is done, and throw when it failed. A sent message is then in the outbox:
 * with a durable store committed to it (inside a unit of work, written with it and leaving after
 * its commit), with the in-memory store held in memory until the transport took it (lost if the
 * process dies). {@link #flush} and {@link #awaitSent} wait until the transport has it. Only {@code
 * request} is asynchronous: its stage completes when the reply arrives.
 *
 * <p>Messages must be of a registered type ({@link MessageType}); {@code null} is rejected with
 * {@link NullPointerException}.
 *
 * <p>Thread-safe. Build one per service with {@link #builder()} and {@link #close()} it on
 * shutdown.
 */
public interface MessageBus extends AutoCloseable {

  static BusBuilder builder() {
    return new BusBuilder();
  }

  /**
   * Sends a command point-to-point: to its route, else to the queue named after its alias. An
   * {@link Event} without a route is refused with {@link ConfigurationException}: publish it.
   */
  default void send(Object message) {
    send(message, DeliveryOptions.none());
  }

  void send(Object message, DeliveryOptions options);

  /**
   * Publishes an {@link Event}: every subscribing service gets its own copy. Goes to its route,
   * else to the topic named after its alias; a command without a route is refused with {@link
   * ConfigurationException}: send it.
   */
  default void publish(Object message) {
    publish(message, DeliveryOptions.none());
  }

  void publish(Object message, DeliveryOptions options);

  /** Sends a command, or publishes an event, so that it is delivered no earlier than {@code at}. */
  void schedule(Object message, Instant at, DeliveryOptions options);

  default void schedule(Object message, Instant at) {
    schedule(message, at, DeliveryOptions.none());
  }

  /** Sends the message so that it is delivered after {@code delay}. */
  default void schedule(Object message, Duration delay) {
    schedule(message, Instant.now().plus(delay), DeliveryOptions.none());
  }

  /**
   * Sends a request and completes with the reply, or exceptionally with {@link
   * RequestTimeoutException} when none arrives within {@code timeout}.
   */
  <R> CompletionStage<R> request(
      Object message, Class<R> replyType, Duration timeout, DeliveryOptions options);

  default <R> CompletionStage<R> request(Object message, Class<R> replyType, Duration timeout) {
    return request(message, replyType, timeout, DeliveryOptions.none());
  }

  /** Request with the configured default timeout ({@code ferry.request.timeout}). */
  <R> CompletionStage<R> request(Object message, Class<R> replyType);

  /**
   * Runs this service's handlers for the message in-process, on the calling thread, inside a unit
   * of work; cascaded messages are sent after it commits. A failure is thrown to the caller (no
   * retries, no dead letter), who is there to see it: a handler's unchecked exception as it is, a
   * checked one as the cause of a {@link FerryException}.
   */
  void invoke(Object message);

  /** Like {@link #invoke(Object)}, and returns the handler's returned value. */
  <R> R invoke(Object message, Class<R> resultType);

  /**
   * Runs one relay pass (stored messages that are due, including those other nodes or earlier
   * invocations left behind) and waits until every message handed to the senders was accepted by
   * the transport, or given back to the store after a failure. Hosts without background work
   * between invocations (Azure Functions) call it before an invocation returns, and from a timer as
   * the sweeper. Returns true if everything was sent; false if {@code timeout} passed first or a
   * send failed meanwhile (those messages are back in the outbox for a later pass).
   */
  boolean flush(Duration timeout);

  /**
   * Waits until every message handed to the senders so far was accepted by the transport, like
   * {@link #flush} but without a relay pass: what an invocation just sent, not what others left.
   * Returns true if all of it was sent; false if {@code timeout} passed first or a send failed
   * (those messages are back in the outbox).
   */
  boolean awaitSent(Duration timeout);

  /** The dead letters of this service: list, replay and purge. */
  DeadLetters deadLetters();

  /** Counters since start. */
  BusMetrics metrics();

  /** What the store holds now: outbox depth and the age of its oldest row, inbox, dead letters. */
  StoreGauges storeGauges();

  /** The circuits of the destinations this node sends to, and the state of its listeners. */
  BusStatus status();

  /**
   * A readable table: every known message type, whether it is a command or an event, where it goes
   * and why (route or convention), which endpoint each handler listens on, and every entity the
   * service needs, as each transport on the class path names it. See {@link
   * BusBuilder#describeRouting()} for the same without a running bus.
   */
  String describeRouting();

  /** The name of this service (subscriptions are named after it). */
  String serviceName();

  /** Stops listening, finishes in-flight handlers and flushes outgoing messages. */
  @Override
  void close();
}
