package dev.ferry.jms.internal;

import dev.ferry.Address;
import dev.ferry.spi.support.WireNames;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;

/** Ferry addresses as JMS destinations. */
final class JmsDestinations {
  private JmsDestinations() {}

  /** A queue, or the topic of a topic or subscription address. */
  static Destination of(Session session, Address a) throws JMSException {
    return a.kind() == Address.Kind.QUEUE
        ? session.createQueue(a.name())
        : session.createTopic(a.name());
  }

  /**
   * The shared durable subscription's name: topic and subscriber together, since JMS subscription
   * names share one namespace across topics.
   */
  static String subscriptionName(Address a) {
    return a.name() + "." + a.subscription();
  }

  /** Subscribers take broadcast messages and those targeted at them (retries, replays). */
  static String selector(Address a) {
    return WireNames.TARGET
        + " IS NULL OR "
        + WireNames.TARGET
        + " = '"
        + a.subscription().replace("'", "''")
        + "'";
  }
}
