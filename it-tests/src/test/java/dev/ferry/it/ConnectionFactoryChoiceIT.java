package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSDestinationDefinition;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Why the sample uses {@code java:/ConnectionFactory}, not {@code java:/JmsXA}: Ferry's JMS
 * listeners and senders run on managed threads outside JTA and drive local transactions on their
 * sessions (commit after the inbox commit). The JCA pooled factory refuses such sessions outside
 * JTA (unless its resource adapter allows local transactions); the plain in-VM factory gives them.
 * Runs inside WildFly, outside any JTA transaction, as Ferry's threads do.
 */
@ExtendWith(ArquillianExtension.class)
@JMSDestinationDefinition(
    name = "java:app/jms/cf-check",
    interfaceName = "jakarta.jms.Queue",
    destinationName = "ferry.cf-check")
class ConnectionFactoryChoiceIT {

  @Deployment
  static WebArchive war() {
    return ShrinkWrap.create(WebArchive.class, "cf-check.war")
        .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
  }

  @Resource(lookup = "java:/ConnectionFactory")
  ConnectionFactory plain;

  @Resource(lookup = "java:/JmsXA")
  ConnectionFactory pooled;

  @Resource(lookup = "java:app/jms/cf-check")
  Queue queue;

  @Test
  void thePlainInVmFactoryGivesLocallyTransactedSessions() throws Exception {
    String marker = UUID.randomUUID().toString();
    try (Connection c = plain.createConnection()) {
      Session s = c.createSession(true, Session.SESSION_TRANSACTED);
      assertTrue(s.getTransacted());
      s.createProducer(queue).send(s.createTextMessage("rolled back " + marker));
      s.rollback();
      s.createProducer(queue).send(s.createTextMessage("committed " + marker));
      s.commit();
      c.start();
      assertEquals("committed " + marker, receive(c, marker));
      assertNull(receive(c, marker), "the rolled back message was never sent");
    }
  }

  @Test
  void theJcaPooledFactoryRefusesLocalTransactionsOutsideJta() throws Exception {
    try (Connection c = pooled.createConnection()) {
      JMSException refused =
          assertThrows(JMSException.class, () -> c.createSession(true, Session.SESSION_TRANSACTED));
      // AMQ159007: Invalid Session Mode SESSION_TRANSACTED, ... allow-local-transactions
      assertTrue(refused.getMessage().contains("AMQ159007"), refused.getMessage());
    }
  }

  private String receive(Connection c, String marker) throws JMSException {
    try (Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(queue)) {
      for (Message m = consumer.receive(1000); m != null; m = consumer.receive(200)) {
        String text = ((TextMessage) m).getText();
        if (text.endsWith(marker)) {
          return text;
        }
      }
      return null;
    }
  }
}
