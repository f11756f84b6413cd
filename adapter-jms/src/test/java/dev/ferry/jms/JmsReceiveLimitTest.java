package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.MessageBus;
import dev.ferry.Reasons;
import dev.ferry.jms.internal.JmsWireFormat;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TestMessages.Work;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * A body over the receive limit is not read whole: it becomes a dead letter with its reason, the
 * body's first bytes up to the limit and its size, and the listener goes on with the next message.
 */
class JmsReceiveLimitTest {
  private static final int LIMIT = 1024;

  @Test
  void anOversizeBodyBecomesADeadLetterWithItsSizeAndTheListenerGoesOn() throws Exception {
    EmbeddedArtemis broker = ArtemisExtension.start("limit");
    try {
      Set<Integer> handled = ConcurrentHashMap.newKeySet();
      try (MessageBus bus =
          MessageBus.builder()
              .serviceName("limited")
              .transport(JmsTransport.builder().url(broker.tcpUrl()).maxBodySize(LIMIT).build())
              .route(Work.class, "queue:limit.work")
              .handle(
                  Work.class,
                  (w, ctx) -> {
                    handled.add(w.n());
                    return null;
                  })
              .build()) {
        byte[] large =
            ("{\"n\":1,\"pad\":\"" + "x".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] small = "{\"n\":2}".getBytes(StandardCharsets.UTF_8);
        sendRaw(broker, "limit.work", envelope("large", large), envelope("small", small));

        await().atMost(Duration.ofSeconds(20)).until(() -> handled.contains(2));
        await().atMost(Duration.ofSeconds(20)).until(() -> bus.deadLetters().list(10).size() == 1);
        DeadLetter dead = bus.deadLetters().list(10).get(0);
        assertThat(dead.envelope().id()).isEqualTo("large");
        assertThat(dead.reason()).isEqualTo(Reasons.TOO_LARGE);
        assertThat(dead.envelope().body()).isEqualTo(Arrays.copyOf(large, LIMIT));
        assertThat(dead.envelope().headers())
            .containsEntry(Reasons.ORIGINAL_SIZE_HEADER, Integer.toString(large.length));
        assertThat(handled).containsExactly(2);
      }
    } finally {
      broker.close();
    }
  }

  private static Envelope envelope(String id, byte[] body) {
    return Envelope.builder().id(id).messageType("ferry.test.work.v1").body(body).build();
  }

  private static void sendRaw(EmbeddedArtemis broker, String queue, Envelope... envelopes)
      throws Exception {
    try (Connection c = new ActiveMQConnectionFactory(broker.tcpUrl()).createConnection()) {
      Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer p = s.createProducer(s.createQueue(queue));
      for (Envelope e : List.of(envelopes)) {
        p.send(JmsWireFormat.toMessage(s, e, false, null));
      }
    }
  }
}
