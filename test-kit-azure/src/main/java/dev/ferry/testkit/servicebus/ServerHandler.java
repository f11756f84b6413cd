package dev.ferry.testkit.servicebus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnsignedInteger;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connection, session and link handling. Every attach is routed by address: {@code $cbs}, {@code
 * <entity>/$management}, an entity to send to, or an entity (or sub-queue) to receive from. A
 * refused attach is answered the way the SDK expects: an attach with a null source (or target)
 * followed by a detach carrying the error condition.
 */
final class ServerHandler extends BaseHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);
  private static final Object REPLY_LINK = new Object();
  private static final Symbol TRANSFER_DESTINATION =
      Symbol.valueOf("com.microsoft:transfer-destination-address");
  private static final Duration DEFAULT_LINK_TIMEOUT = Duration.ofSeconds(60);
  private static final EnumSet<EndpointState> ANY = EnumSet.allOf(EndpointState.class);

  private final Broker broker;
  private final CbsNode cbs;
  private final ManagementNode management;
  private final int maxMessageSize;
  private final Set<Connection> connections = new LinkedHashSet<>();
  private final List<ConsumerLink> consumers = new ArrayList<>();
  private final List<PendingSession> pendingSessions = new ArrayList<>();

  /** A receive link waiting for any session to become free (accept-next-session). */
  private record PendingSession(ConsumerLink consumer, Instant deadline) {}

  ServerHandler(Broker broker, int maxMessageSize) {
    this.broker = broker;
    this.cbs = new CbsNode(broker.log);
    this.management = new ManagementNode(broker);
    this.maxMessageSize = maxMessageSize;
  }

  /**
   * A fault barrier: proton-j stops the whole reactor on an exception from a handler, which would
   * silently kill the double for every client. Instead the link concerned (if any) is detached with
   * amqp:internal-error, so the client sees the bug, and the log records it.
   */
  @Override
  public void handle(Event event) {
    try {
      super.handle(event);
    } catch (RuntimeException e) {
      LOG.error("Service Bus double failed handling {}", event.getType(), e);
      broker.log.add("internal-error", String.valueOf(event.getType()), e);
      Link link = event.getLink();
      if (link != null && link.getLocalState() != EndpointState.CLOSED) {
        linkGone(link, "session-released");
        link.setCondition(new ErrorCondition(AmqpWire.INTERNAL_ERROR, String.valueOf(e)));
        link.close();
      }
    }
  }

  @Override
  public void onConnectionRemoteOpen(Event event) {
    Connection connection = event.getConnection();
    connections.add(connection);
    connection.setContainer("ferry-servicebus-double");
    connection.open();
  }

  @Override
  public void onConnectionRemoteClose(Event event) {
    connectionGone(event.getConnection());
    event.getConnection().close();
  }

  @Override
  public void onTransportClosed(Event event) {
    if (event.getConnection() != null) {
      connectionGone(event.getConnection());
    }
  }

  @Override
  public void onSessionRemoteOpen(Event event) {
    event.getSession().open();
  }

  @Override
  public void onSessionRemoteClose(Event event) {
    Session session = event.getSession();
    for (Link link : links(session.getConnection())) {
      if (link.getSession() == session) {
        linkGone(link, "session-released");
      }
    }
    session.close();
  }

  @Override
  public void onLinkRemoteOpen(Event event) {
    Link link = event.getLink();
    try {
      if (link instanceof Receiver receiver) {
        attachIncoming(receiver);
      } else {
        attachOutgoing((Sender) link);
      }
    } catch (BrokerException e) {
      refuse(link, e);
    }
    afterWork();
  }

  @Override
  public void onLinkRemoteClose(Event event) {
    closeLink(event.getLink());
  }

  @Override
  public void onLinkRemoteDetach(Event event) {
    closeLink(event.getLink());
  }

  @Override
  public void onLinkFlow(Event event) {
    afterWork();
  }

  @Override
  public void onDelivery(Event event) {
    Delivery delivery = event.getDelivery();
    Object role = delivery.getLink().getContext();
    if (role instanceof ProducerLink producer) {
      producer.onTransfer(delivery);
    } else if (role instanceof RequestResponseNode node) {
      node.onRequest(delivery);
    } else if (role instanceof ConsumerLink consumer) {
      consumer.onDisposition(delivery);
    } else if (delivery.remotelySettled()) {
      delivery.settle(); // a reply the client has taken
    }
    afterWork();
  }

  /** Timers first, then anything that may now be delivered. */
  void tick() {
    broker.tick();
    Instant now = broker.now();
    for (ConsumerLink consumer : new ArrayList<>(consumers)) {
      if (consumer.session != null && !consumer.session.isLockedBy(consumer, now)) {
        consumer.sender.setCondition(
            Sessions.sessionLockLost(consumer.session.id).toErrorCondition());
        consumer.sender.close();
        consumers.remove(consumer);
        consumer.onClosed("session-lock-lost");
      }
    }
    afterWork();
  }

  /** Hands out free sessions to waiting links, then fills every link's credit. */
  void afterWork() {
    Instant now = broker.now();
    for (Iterator<PendingSession> it = pendingSessions.iterator(); it.hasNext(); ) {
      PendingSession pending = it.next();
      ConsumerLink consumer = pending.consumer();
      String free = consumer.queue.nextFreeSession(now);
      if (free != null) {
        it.remove();
        openSessionLink(consumer, broker.sessions.lock(consumer.queue, free, consumer, now));
      } else if (!now.isBefore(pending.deadline())) {
        it.remove();
        refuse(
            consumer.sender,
            new BrokerException(
                AmqpWire.TIMEOUT,
                408,
                "No unlocked session with messages became available on '"
                    + consumer.queue.path
                    + "' within the link timeout."));
      }
    }
    for (ConsumerLink consumer : new ArrayList<>(consumers)) {
      consumer.pump(now);
    }
  }

  void closeAllConnections() {
    for (Connection connection : new ArrayList<>(connections)) {
      connectionGone(connection);
      connection.close();
    }
  }

  private void attachIncoming(Receiver receiver) {
    if (!(receiver.getRemoteTarget() instanceof Target target)) {
      throw new BrokerException(
          AmqpWire.NOT_IMPLEMENTED, 501, "Transactions are not supported by the test double.");
    }
    String address = target.getAddress();
    if ("$cbs".equals(address) || isManagement(address)) {
      openAsRequested(receiver);
      receiver.setContext("$cbs".equals(address) ? cbs : management);
      receiver.flow(ProducerLink.CREDIT);
      return;
    }
    Map<?, ?> properties = receiver.getRemoteProperties();
    if (properties != null && properties.containsKey(TRANSFER_DESTINATION)) {
      throw new BrokerException(
          AmqpWire.NOT_IMPLEMENTED, 501, "Send-via (transfer destination) is not supported.");
    }
    Object entity = broker.registry.sendTarget(address);
    String path = entity instanceof Topic topic ? topic.path : ((MessageQueue) entity).path;
    // The SDK sizes batches and refuses oversized messages by this value.
    receiver.setMaxMessageSize(UnsignedLong.valueOf(maxMessageSize));
    openAsRequested(receiver);
    receiver.setContext(new ProducerLink(receiver, path, broker, maxMessageSize));
    receiver.flow(ProducerLink.CREDIT);
    broker.log.add("attach-sender", path, receiver.getName());
  }

  private void attachOutgoing(Sender sender) {
    Source source = (Source) sender.getRemoteSource();
    String address = source == null ? null : source.getAddress();
    if ("$cbs".equals(address) || isManagement(address)) {
      openAsRequested(sender);
      sender.setContext(REPLY_LINK);
      return;
    }
    MessageQueue queue = broker.registry.receivable(address);
    Map<?, ?> filter = source.getFilter();
    boolean sessionful = filter != null && filter.containsKey(AmqpWire.SESSION_FILTER);
    if (sessionful != queue.requiresSession()) {
      throw new BrokerException(
          AmqpWire.NOT_ALLOWED,
          400,
          sessionful
              ? "'" + queue.path + "' does not require sessions; use a plain receiver."
              : "It is not possible for an entity that requires sessions to create a"
                  + " non-sessionful message receiver ('"
                  + queue.path
                  + "').");
    }
    ConsumerLink consumer = new ConsumerLink(sender, queue, broker);
    if (!sessionful) {
      openAsRequested(sender);
      sender.setContext(consumer);
      consumers.add(consumer);
      broker.log.add("attach-receiver", queue.path, receiveMode(sender));
      return;
    }
    Object requested = filter.get(AmqpWire.SESSION_FILTER);
    Instant now = broker.now();
    sender.setContext(consumer);
    if (requested == null) {
      pendingSessions.add(new PendingSession(consumer, now.plus(linkTimeout(sender))));
      return;
    }
    SessionState session = broker.sessions.lock(queue, requested.toString(), consumer, now);
    if (session == null) {
      throw new BrokerException(
          AmqpWire.SESSION_CANNOT_BE_LOCKED,
          410,
          "The requested session '"
              + requested
              + "' cannot be accepted. It may be locked by"
              + " another receiver.");
    }
    openSessionLink(consumer, session);
  }

  /**
   * The attach answer for a session receiver names the session in the source filter and carries the
   * session lock expiry as .NET ticks; the SDK reads both from the remote attach.
   */
  private void openSessionLink(ConsumerLink consumer, SessionState session) {
    Sender sender = consumer.sender;
    Source source = (Source) sender.getRemoteSource().copy();
    source.setFilter(Map.of(AmqpWire.SESSION_FILTER, session.id));
    sender.setSource(source);
    sender.setTarget(sender.getRemoteTarget());
    sender.setSenderSettleMode(sender.getRemoteSenderSettleMode());
    sender.setReceiverSettleMode(sender.getRemoteReceiverSettleMode());
    sender.setProperties(
        Map.of(AmqpWire.LOCKED_UNTIL_UTC, AmqpWire.dotNetTicks(session.lockedUntil)));
    sender.open();
    consumer.session = session;
    consumers.add(consumer);
    broker.log.add(
        "attach-receiver", consumer.queue.path, receiveMode(sender) + " session=" + session.id);
  }

  private static void openAsRequested(Link link) {
    link.setSource(link.getRemoteSource());
    link.setTarget(link.getRemoteTarget());
    link.setSenderSettleMode(link.getRemoteSenderSettleMode());
    link.setReceiverSettleMode(link.getRemoteReceiverSettleMode());
    link.open();
  }

  private void refuse(Link link, BrokerException error) {
    link.setContext(null);
    if (link instanceof Sender) {
      link.setSource(null);
      link.setTarget(link.getRemoteTarget());
    } else {
      link.setSource(link.getRemoteSource());
      link.setTarget(null);
    }
    link.open();
    link.setCondition(new ErrorCondition(error.condition, error.getMessage()));
    link.close();
    broker.log.add("refuse-attach", address(link), error.condition);
  }

  private void closeLink(Link link) {
    linkGone(link, "session-released");
    if (link.getLocalState() != EndpointState.CLOSED) {
      link.close();
    }
  }

  private void linkGone(Link link, String why) {
    if (link.getContext() instanceof ConsumerLink consumer) {
      consumers.remove(consumer);
      pendingSessions.removeIf(pending -> pending.consumer() == consumer);
      consumer.onClosed(why);
    }
  }

  private void connectionGone(Connection connection) {
    if (connections.remove(connection)) {
      for (Link link : links(connection)) {
        linkGone(link, "session-released");
      }
    }
  }

  private static List<Link> links(Connection connection) {
    List<Link> links = new ArrayList<>();
    for (Link link = connection.linkHead(ANY, ANY); link != null; link = link.next(ANY, ANY)) {
      links.add(link);
    }
    return links;
  }

  private static boolean isManagement(String address) {
    return address != null && address.toLowerCase(Locale.ROOT).endsWith("/$management");
  }

  private static String receiveMode(Sender sender) {
    return sender.getRemoteSenderSettleMode()
            == org.apache.qpid.proton.amqp.transport.SenderSettleMode.SETTLED
        ? "receive-and-delete"
        : "peek-lock";
  }

  /** How long accept-next-session may wait: the client's com.microsoft:timeout link property. */
  private static Duration linkTimeout(Link link) {
    Map<?, ?> properties = link.getRemoteProperties();
    Object value = properties == null ? null : properties.get(AmqpWire.LINK_TIMEOUT);
    return value instanceof UnsignedInteger millis
        ? Duration.ofMillis(millis.longValue())
        : DEFAULT_LINK_TIMEOUT;
  }

  private static String address(Link link) {
    if (link.getRemoteSource() instanceof Source source && link instanceof Sender) {
      return source.getAddress();
    }
    return link.getRemoteTarget() instanceof Target target ? target.getAddress() : link.getName();
  }
}
