package dev.ferry.testkit.servicebus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.message.Message;
import org.apache.qpid.proton.reactor.Reactor;

/**
 * A bare proton-j client for what the SDK never does, such as ignoring the link's max-message-size.
 * Sends one message and reports the broker's outcome, or the link error.
 */
final class RawAmqpClient {

  record Result(DeliveryState outcome, ErrorCondition linkError) {}

  private RawAmqpClient() {}

  static Result send(int port, String address, Message message) {
    return send(port, address, AmqpWire.encode(message));
  }

  static Result send(int port, String address, byte[] bytes) {
    AtomicReference<Result> result = new AtomicReference<>();
    try {
      Reactor reactor =
          Proton.reactor(
              new BaseHandler() {
                private boolean sent;

                @Override
                public void onReactorInit(Event event) {
                  event.getReactor().connectionToHost("127.0.0.1", port, this);
                  event.getReactor().schedule(5_000, this); // give up after 5 s
                }

                @Override
                public void onConnectionInit(Event event) {
                  Connection connection = event.getConnection();
                  connection.setHostname("localhost");
                  connection.open();
                  Session session = connection.session();
                  session.open();
                  Sender sender = session.sender("raw-sender");
                  Target target = new Target();
                  target.setAddress(address);
                  sender.setTarget(target);
                  sender.setSource(new org.apache.qpid.proton.amqp.messaging.Source());
                  sender.open();
                }

                @Override
                public void onLinkFlow(Event event) {
                  if (!sent && event.getLink() instanceof Sender sender && sender.getCredit() > 0) {
                    sent = true;
                    sender.delivery(new byte[] {1});
                    sender.send(bytes, 0, bytes.length);
                    sender.advance();
                  }
                }

                @Override
                public void onDelivery(Event event) {
                  Delivery delivery = event.getDelivery();
                  if (delivery.getRemoteState() != null) {
                    result.set(new Result(delivery.getRemoteState(), null));
                    delivery.settle();
                    event.getConnection().close();
                  }
                }

                @Override
                public void onLinkRemoteClose(Event event) {
                  result.compareAndSet(
                      null, new Result(null, event.getLink().getRemoteCondition()));
                  event.getConnection().close();
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
    return result.get();
  }
}
