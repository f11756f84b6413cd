package dev.ferry.testkit.servicebus;

import java.util.Arrays;
import java.util.List;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.message.Message;

/**
 * A client's send link to a queue or topic. Each complete transfer is stored and answered with
 * Accepted and settled; a batch transfer (message-format 0x80013700) is split into its messages
 * first. Over max-message-size, or refused by the broker: Rejected with the reason.
 */
final class ProducerLink {

  static final int CREDIT = 100;

  private final Receiver receiver;
  private final String address;
  private final Broker broker;
  private final int maxMessageSize;

  ProducerLink(Receiver receiver, String address, Broker broker, int maxMessageSize) {
    this.receiver = receiver;
    this.address = address;
    this.broker = broker;
    this.maxMessageSize = maxMessageSize;
  }

  void onTransfer(Delivery delivery) {
    if (delivery.isPartial()) {
      return; // proton keeps the frames until the last one has arrived
    }
    byte[] bytes = new byte[delivery.pending()];
    int read = receiver.recv(bytes, 0, bytes.length);
    receiver.advance();
    DeliveryState outcome = store(delivery.getMessageFormat(), Arrays.copyOf(bytes, read));
    if (!delivery.remotelySettled()) {
      delivery.disposition(outcome);
    }
    delivery.settle();
    receiver.flow(1);
  }

  private DeliveryState store(int messageFormat, byte[] payload) {
    if (payload.length > maxMessageSize) {
      return rejected(
          new BrokerException(
              AmqpWire.MESSAGE_SIZE_EXCEEDED,
              413,
              "The received message (size: "
                  + payload.length
                  + " bytes) exceeds the limit ("
                  + maxMessageSize
                  + " bytes) currently allowed on the link."));
    }
    try {
      List<Message> messages =
          messageFormat == AmqpWire.BATCH_MESSAGE_FORMAT
              ? AmqpWire.unpackBatch(payload)
              : List.of(AmqpWire.decode(payload));
      broker.send(address, messages);
      return Accepted.getInstance();
    } catch (BrokerException e) {
      return rejected(e);
    } catch (RuntimeException undecodable) {
      return rejected(
          new BrokerException(
              AmqpWire.DECODE_ERROR, 400, "The transfer is not an AMQP message: " + undecodable));
    }
  }

  private DeliveryState rejected(BrokerException e) {
    broker.log.add("rejected", address, e.condition);
    Rejected rejected = new Rejected();
    rejected.setError(new ErrorCondition(e.condition, e.getMessage()));
    return rejected;
  }
}
