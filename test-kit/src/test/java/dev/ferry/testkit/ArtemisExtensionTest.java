package dev.ferry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The broker is real: a JMS client reaches it over TCP, and it stops and starts again durably. */
class ArtemisExtensionTest {
  @RegisterExtension static final ArtemisExtension artemis = new ArtemisExtension();

  @Test
  void aClientSendsAndReceivesOverTcp(EmbeddedArtemis broker) throws Exception {
    assertThat(broker).isSameAs(artemis.broker());
    assertThat(broker.tcpUrl()).startsWith("tcp://127.0.0.1:");
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      c.start();
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      Queue q = s.createQueue("kit.tcp");
      s.createProducer(q).send(s.createTextMessage("over tcp"));
      MessageConsumer consumer = s.createConsumer(q);
      assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("over tcp");
    }
  }

  @Test
  void aDurableMessageOutlivesACrash() throws Exception {
    try (EmbeddedArtemis own = ArtemisExtension.start("kit-crash")) {
      try (Connection c = new ActiveMQConnectionFactory(own.tcpUrl()).createConnection()) {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createProducer(s.createQueue("kit.durable")).send(s.createTextMessage("kept"));
      }
      own.crash();
      own.startServer();
      try (Connection c = new ActiveMQConnectionFactory(own.tcpUrl()).createConnection()) {
        c.start();
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue("kit.durable"));
        assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("kept");
      }
    }
  }
}
