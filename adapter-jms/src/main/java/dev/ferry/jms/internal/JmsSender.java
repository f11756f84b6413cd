package dev.ferry.jms.internal;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.Sender;
import dev.ferry.spi.support.WireNames;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch in one transacted session: one commit per batch, so a broker's durable write is
 * paid per batch, not per message.
 */
public final class JmsSender implements Sender {
  private static final Logger log = LoggerFactory.getLogger(JmsSender.class);

  private final JmsConnection connection;
  private final Address destination;
  private final boolean text;
  private final String transportName;
  private Session session;
  private MessageProducer producer;
  private Destination target;

  public JmsSender(JmsConnection connection, Address destination, boolean text, String transport) {
    this.connection = connection;
    this.destination = destination;
    this.text = text;
    this.transportName = transport;
  }

  @Override
  public Address destination() {
    return destination;
  }

  private void open() throws JMSException {
    if (session != null) {
      return;
    }
    try {
      session = connection.get().createSession(true, Session.SESSION_TRANSACTED);
    } catch (JMSException e) {
      connection.failed(e);
      throw e;
    }
    target = JmsDestinations.of(session, destination);
    producer = session.createProducer(target);
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
  }

  @Override
  public void send(List<Envelope> batch) throws JMSException {
    open();
    try {
      long now = System.currentTimeMillis();
      for (Envelope e : batch) {
        Message m = JmsWireFormat.toMessage(session, e, text, replyDestination(e));
        if (destination.kind() == Address.Kind.SUBSCRIPTION) {
          m.setStringProperty(WireNames.TARGET, destination.subscription());
        }
        producer.setDeliveryDelay(delay(e.scheduledFor(), now));
        producer.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, timeToLive(e, now));
      }
      session.commit();
    } catch (JMSException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Destination replyDestination(Envelope e) throws JMSException {
    if (e.replyTo() == null) {
      return null;
    }
    try {
      Address a = Address.parse(e.replyTo());
      return transportName.equals(a.transport()) ? JmsDestinations.of(session, a) : null;
    } catch (IllegalArgumentException ex) {
      return null; // the property still carries the text
    }
  }

  private static long delay(Instant scheduledFor, long now) {
    return scheduledFor == null ? 0 : Math.max(0, scheduledFor.toEpochMilli() - now);
  }

  /** JMS counts time to live from the send; 0 means forever, so an overdue message gets 1 ms. */
  private static long timeToLive(Envelope e, long now) {
    if (e.deliverBy() == null) {
      return Message.DEFAULT_TIME_TO_LIVE;
    }
    return Math.max(1, e.deliverBy().toEpochMilli() - now);
  }

  @Override
  public void close() {
    if (session != null) {
      try {
        session.close();
      } catch (JMSException | RuntimeException e) {
        log.debug("Closing a JMS session failed", e);
      }
    }
    session = null;
    producer = null;
    target = null;
  }
}
