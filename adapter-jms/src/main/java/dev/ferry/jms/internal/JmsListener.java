package dev.ferry.jms.internal;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.Decision;
import dev.ferry.spi.Delivery;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.support.LoopSupervisor;
import dev.ferry.spi.support.NativeSettlement;
import dev.ferry.spi.support.PollingListener;
import dev.ferry.spi.support.Settlements;
import dev.ferry.spi.support.WireNames;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer threads, each with its own transacted session, receiving with a timeout (a pull, which
 * application servers allow where {@code setMessageListener} is forbidden). A thread receives only
 * when it is free, and acknowledges by committing only after the pipeline settled: the inbox
 * commit, when there is one, happens before.
 *
 * <p>A requeue is a copy sent back within the same transaction (carrying the attempt count, and
 * delayed natively), so one message's requeue never redelivers its batch siblings; only a failure
 * of the runtime itself rolls the batch back for redelivery by the broker.
 */
public final class JmsListener extends PollingListener {
  private static final Logger log = LoggerFactory.getLogger(JmsListener.class);
  private static final long RECEIVE_TIMEOUT_MS = 100;
  private static final java.time.Duration FOREVER = java.time.Duration.ofDays(3650);

  private final JmsConnection connection;
  private final Address source;
  private final ListenerSettings settings;
  private final DeliveryHandler handler;
  private final String transportName;
  private final int maxBodySize;
  private final CountDownLatch attached = new CountDownLatch(1);

  /** Whether a consumer is open on the source now; cleared while the listener reconnects. */
  private volatile boolean consuming;

  public JmsListener(
      JmsConnection connection,
      Address source,
      ListenerSettings settings,
      DeliveryHandler handler,
      HostExecutors executors,
      String transportName,
      int maxBodySize) {
    super(source, settings, executors, "ferry-jms-" + source.name());
    if (source.kind() == Address.Kind.TOPIC) {
      throw new IllegalArgumentException(
          "Listen on a subscription of topic " + source.name() + ", not on the topic itself");
    }
    this.connection = connection;
    this.source = source;
    this.settings = settings;
    this.handler = handler;
    this.transportName = transportName;
    this.maxBodySize = maxBodySize;
  }

  /**
   * Starts the consumer threads and waits (a few seconds at most) until the first one has its
   * consumer: then a subscription exists on the broker when the bus's {@code build()} returns, and
   * an event published right after is not lost for this subscriber.
   */
  @Override
  public void start() {
    super.start();
    try {
      if (!attached.await(10, TimeUnit.SECONDS)) {
        log.warn("Listener on {} is not attached yet; it keeps trying", source);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected void work() throws InterruptedException {
    int failures = 0;
    LoopSupervisor supervisor = new LoopSupervisor("JMS listener on " + source);
    while (running()) {
      Session session = null;
      try {
        session = connection.get().createSession(true, Session.SESSION_TRANSACTED);
        MessageConsumer consumer = consumer(session);
        MessageProducer requeuer = session.createProducer(null);
        attached.countDown();
        consuming = true;
        failures = 0;
        while (awaitResumed()) {
          receiveBatch(session, consumer, requeuer);
          supervisor.succeeded();
        }
      } catch (JMSException e) {
        consuming = false;
        failures++;
        if (running()) {
          // A missing queue or a refused selector is this listener's problem; only a broken
          // connection is everyone's, and only then is it replaced.
          if (!connection.isUsable()) {
            connection.failed(e);
          }
          long wait = connection.backoff(failures).toMillis();
          // One warning when the broker goes away, then quiet until it is back.
          if (failures == 1 || failures % 60 == 0) {
            log.warn(
                "Listener on {} lost its session ({}); retrying every {} ms at most",
                source,
                e.toString(),
                connection.backoff(Integer.MAX_VALUE).toMillis());
          } else {
            log.debug("Listener on {} still cannot reconnect: {}", source, e.toString());
          }
          Thread.sleep(wait);
        }
      } catch (RuntimeException | Error unexpected) {
        consuming = false;
        // Whatever else broke the round: the session is closed (its messages come back) and
        // the loop goes on after a backoff.
        if (running()) {
          supervisor.failed(unexpected);
        }
      } finally {
        closeQuietly(session);
      }
    }
  }

  private MessageConsumer consumer(Session session) throws JMSException {
    if (source.kind() == Address.Kind.QUEUE) {
      return session.createConsumer(session.createQueue(source.name()));
    }
    Topic topic = session.createTopic(source.name());
    return session.createSharedDurableConsumer(
        topic, JmsDestinations.subscriptionName(source), JmsDestinations.selector(source));
  }

  private void receiveBatch(Session session, MessageConsumer consumer, MessageProducer requeuer)
      throws JMSException, InterruptedException {
    Message first = consumer.receive(RECEIVE_TIMEOUT_MS);
    if (first == null) {
      return;
    }
    List<Message> messages = new ArrayList<>(settings.maxBatch());
    messages.add(first);
    while (messages.size() < settings.maxBatch()) {
      Message next = consumer.receiveNoWait();
      if (next == null) {
        break;
      }
      messages.add(next);
    }
    List<Delivery> deliveries = new ArrayList<>(messages.size());
    for (Message m : messages) {
      deliveries.add(read(m));
    }
    // While the runtime cannot work, the batch stays in this session's open transaction: a
    // rollback would count a delivery on the broker each time.
    List<Decision> decisions =
        Settlements.decideHolding(handler, deliveries, this::running, FOREVER);
    boolean settled;
    try {
      settled =
          Settlements.settle(
              messages, deliveries, decisions, new SessionSettlement(session, requeuer));
    } catch (JMSException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (settled) {
      session.commit();
    } else {
      // Rolled back: the runtime could not work (its store is down, say).
      Thread.sleep(Math.max(100, Settlements.batchRedelivery(decisions).pause().toMillis()));
    }
  }

  /**
   * Settles within the consumer's transacted session; the commit after it acknowledges them all. A
   * requeue is a copy sent in the same transaction.
   */
  private final class SessionSettlement implements NativeSettlement<Message> {
    private final Session session;
    private final MessageProducer requeuer;

    SessionSettlement(Session session, MessageProducer requeuer) {
      this.session = session;
      this.requeuer = requeuer;
    }

    @Override
    public void acknowledge(Message message) {}

    @Override
    public void requeue(Message message, Delivery delivery, Decision.Requeue requeue)
        throws JMSException {
      JmsListener.this.requeue(session, requeuer, delivery.envelope(), requeue);
    }

    @Override
    public void deadLetter(Message message, Delivery delivery, Decision.DeadLetter deadLetter) {
      throw new UnsupportedOperationException("JMS has no native dead-letter settlement");
    }

    @Override
    public void redeliverAll(List<Message> messages, Decision.RedeliverBatch redeliver)
        throws JMSException {
      session.rollback();
    }
  }

  private void requeue(Session session, MessageProducer producer, Envelope e, Decision.Requeue s)
      throws JMSException {
    Envelope copy = e.toBuilder().attempts(s.attempts()).scheduledFor(null).build();
    Destination target = JmsDestinations.of(session, source);
    Message m = JmsWireFormat.toMessage(session, copy, false, null);
    if (source.kind() == Address.Kind.SUBSCRIPTION) {
      m.setStringProperty(WireNames.TARGET, source.subscription());
    }
    producer.setDeliveryDelay(s.delay().toMillis());
    long ttl =
        e.deliverBy() == null
            ? 0
            : Math.max(1, e.deliverBy().toEpochMilli() - System.currentTimeMillis());
    producer.send(target, m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, ttl);
  }

  private Delivery read(Message m) {
    return read(m, source, transportName, maxBodySize);
  }

  /** A received message as a delivery, reading the whole body; never throws. */
  static Delivery read(Message m, Address source, String transportName) {
    return read(m, source, transportName, Integer.MAX_VALUE);
  }

  /**
   * A received message as a delivery; never throws. A body over {@code maxBodySize} bytes is not
   * copied whole: the delivery is an {@linkplain Delivery#oversize oversize} one.
   */
  static Delivery read(Message m, Address source, String transportName, int maxBodySize) {
    try {
      JmsWireFormat.Read read = JmsWireFormat.read(m, transportName, maxBodySize);
      if (read.oversizeBody() >= 0) {
        return Delivery.oversize(read.envelope(), source, deliveryCount(m), read.oversizeBody());
      }
      return new Delivery(read.envelope(), source, deliveryCount(m));
    } catch (JMSException | RuntimeException e) {
      // Garbled headers: keep what identifies it; the pipeline dead-letters it with the reason.
      return new Delivery(
          JmsWireFormat.bestEffort(m, maxBodySize),
          source,
          deliveryCount(m),
          String.valueOf(e.getMessage()));
    }
  }

  private static int deliveryCount(Message m) {
    try {
      return m.propertyExists("JMSXDeliveryCount") ? m.getIntProperty("JMSXDeliveryCount") : 0;
    } catch (JMSException | RuntimeException e) {
      return 0;
    }
  }

  private static void closeQuietly(Session s) {
    if (s != null) {
      try {
        s.close();
      } catch (JMSException | RuntimeException e) {
        log.debug("Closing a JMS session failed", e);
      }
    }
  }

  @Override
  public boolean attached() {
    return consuming && running();
  }
}
