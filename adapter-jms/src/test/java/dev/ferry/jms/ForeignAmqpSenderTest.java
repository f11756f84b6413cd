package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.DeadLetter;
import dev.ferry.ErrorPolicy;
import dev.ferry.MessageBus;
import dev.ferry.MessageType;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.message.Message;
import org.apache.qpid.proton.reactor.Reactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sender in another language, as {@code docs/wire-format.md} describes it: a plain AMQP 1.0
 * client (proton-j, no JMS layer) sends to the documented queue, the command's alias, with no
 * routing-type hint (no {@code queue} capability on the link target). Every message is handled
 * once, and every poison message becomes one dead letter.
 */
class ForeignAmqpSenderTest {
  static final String ALIAS = "foreign.place-order.v1";

  @MessageType(ALIAS)
  public record PlaceOrder(String orderId) {}

  private EmbeddedArtemis broker;
  private MessageBus bus;
  private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    broker = ArtemisExtension.start("foreign-amqp");
    bus =
        MessageBus.builder()
            .serviceName("orders")
            .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
            .defaultErrorPolicy(ErrorPolicy.on(Exception.class).retry(2).thenDeadLetter())
            .handle(
                PlaceOrder.class,
                (order, ctx) -> {
                  handled
                      .computeIfAbsent(order.orderId(), k -> new AtomicInteger())
                      .incrementAndGet();
                  if (order.orderId().startsWith("poison")) {
                    throw new IllegalStateException("cannot place " + order.orderId());
                  }
                  return null;
                })
            .build();
    // The bus's own message proves its listener is attached before the foreign client sends.
    bus.send(new PlaceOrder("warm-up"));
    await().atMost(Duration.ofSeconds(20)).until(() -> handled.containsKey("warm-up"));
    Thread.sleep(500); // every other listener of the service attaches meanwhile, if it had any
  }

  @AfterEach
  void stop() throws Exception {
    if (bus != null) {
      bus.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void eachMessageIsHandledOnceAndEachPoisonOneDeadLetter() throws Exception {
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(documented("order-" + i));
    }
    messages.add(documented("poison-1"));
    messages.add(documented("poison-2"));

    assertThat(send(broker.port(), ALIAS, messages)).as("accepted by the broker").isEqualTo(12);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bus.deadLetters().list(100).size() >= 2 && handled.size() == 13);
    Thread.sleep(1500); // a second copy, if there were one, arrives meanwhile
    for (int i = 0; i < 10; i++) {
      assertThat(handled.get("order-" + i)).as("order-" + i).hasValue(1);
    }
    List<DeadLetter> dead = bus.deadLetters().list(100);
    assertThat(dead)
        .extracting(d -> d.envelope().id())
        .containsExactlyInAnyOrder("foreign-poison-1", "foreign-poison-2");
    assertThat(dead).allSatisfy(d -> assertThat(d.endpoint()).isEqualTo("jms:queue:" + ALIAS));
    assertThat(handled.get("poison-1")).as("attempts of one poison message").hasValue(3);
  }

  /** The documented properties and a JSON body in one Data section; nothing else. */
  static Message documented(String orderId) {
    return documented(ALIAS, orderId);
  }

  /** The same for another command. */
  static Message documented(String alias, String orderId) {
    Message m = Proton.message();
    m.setMessageId("foreign-" + orderId);
    m.setApplicationProperties(
        new ApplicationProperties(
            Map.of(
                "cloudEvents_specversion", "1.0",
                "cloudEvents_id", "foreign-" + orderId,
                "cloudEvents_type", alias,
                "cloudEvents_source", "legacy-system",
                "cloudEvents_datacontenttype", "application/json")));
    m.setBody(
        new Data(
            new Binary(("{\"orderId\":\"" + orderId + "\"}").getBytes(StandardCharsets.UTF_8))));
    return m;
  }

  /**
   * Sends over one link whose target names only the address, and returns how many the broker
   * accepted.
   */
  static int send(int port, String address, List<Message> messages) {
    Deque<Message> pending = new ArrayDeque<>(messages);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    try {
      Reactor reactor =
          Proton.reactor(
              new BaseHandler() {
                private int tag;

                @Override
                public void onReactorInit(Event event) {
                  event.getReactor().connectionToHost("127.0.0.1", port, this);
                  event.getReactor().schedule(15_000, this); // give up after 15 s
                }

                @Override
                public void onConnectionBound(Event event) {
                  event.getTransport().sasl().client();
                  event.getTransport().sasl().setMechanisms("ANONYMOUS");
                }

                @Override
                public void onConnectionInit(Event event) {
                  Connection connection = event.getConnection();
                  connection.setHostname("localhost");
                  connection.setContainer("legacy-system");
                  connection.open();
                  Session session = connection.session();
                  session.open();
                  Sender sender = session.sender("legacy-sender");
                  Target target = new Target();
                  target.setAddress(address); // no capabilities: no routing-type hint
                  sender.setTarget(target);
                  sender.setSource(new Source());
                  sender.open();
                }

                @Override
                public void onLinkFlow(Event event) {
                  if (event.getLink() instanceof Sender sender) {
                    while (sender.getCredit() > 0 && !pending.isEmpty()) {
                      byte[] bytes = encode(pending.poll());
                      sender.delivery(new byte[] {(byte) tag++});
                      sender.send(bytes, 0, bytes.length);
                      sender.advance();
                    }
                  }
                }

                @Override
                public void onDelivery(Event event) {
                  Delivery delivery = event.getDelivery();
                  if (delivery.remotelySettled() || delivery.getRemoteState() != null) {
                    if (delivery.getRemoteState() instanceof Accepted) {
                      accepted.incrementAndGet();
                    }
                    delivery.settle();
                    if (settled.incrementAndGet() == messages.size()) {
                      event.getConnection().close();
                    }
                  }
                }

                @Override
                public void onConnectionRemoteClose(Event event) {
                  event.getReactor().stop();
                }

                @Override
                public void onTimerTask(Event event) {
                  event.getReactor().stop();
                }
              });
      reactor.run();
      reactor.free();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return accepted.get();
  }

  static byte[] encode(Message m) {
    byte[] buffer = new byte[64 * 1024];
    int n = m.encode(buffer, 0, buffer.length);
    return java.util.Arrays.copyOf(buffer, n);
  }
}
