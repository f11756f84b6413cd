package dev.ferry.spi;

import dev.ferry.Address;

/**
 * A message transport (in-memory, JMS, Azure Service Bus). Implementations are created by a {@link
 * TransportFactory} found with {@link java.util.ServiceLoader} by the name in {@code
 * ferry.transport}, or handed to the builder directly.
 *
 * <p>Lifecycle: {@link #start(TransportContext)} once, then any number of senders and listeners,
 * then {@link #close()}, which closes them.
 */
public interface Transport extends AutoCloseable {

  /** The name used in configuration and address prefixes, e.g. {@code "jms"}. */
  String name();

  TransportCapabilities capabilities();

  /** Connects. Throws with a clear message when the transport is misconfigured or unreachable. */
  void start(TransportContext context) throws Exception;

  /**
   * A sender for one destination. The runtime uses each sender from one thread at a time, so a
   * sender may hold a non-thread-safe session.
   */
  Sender sender(Address destination) throws Exception;

  /**
   * Starts receiving from {@code source} and hands deliveries to {@code handler}, with at most
   * {@link ListenerSettings#concurrency()} deliveries in flight. A delivery is settled only as the
   * handler's {@link Decision} says (through {@link dev.ferry.spi.support.Settlements}), after the
   * handler returns.
   */
  Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler)
      throws Exception;

  /**
   * The address where this node receives replies to its requests. Queues named after the node keep
   * replies for one node off the others.
   */
  default Address replyAddress(String nodeId) {
    return replyQueue(nodeId).on(name());
  }

  /** The conventional reply queue of a node, naming no transport: {@code ferry.replies.<node>}. */
  static Address replyQueue(String nodeId) {
    return Address.queue("ferry.replies." + nodeId);
  }

  @Override
  void close();
}
