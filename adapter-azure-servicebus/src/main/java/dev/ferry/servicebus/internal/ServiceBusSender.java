package dev.ferry.servicebus.internal;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.MessageTooLargeException;
import dev.ferry.spi.Sender;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a batch as few {@link ServiceBusMessageBatch}es as fit: usually one, which Service Bus
 * stores atomically. When a send call's messages need several, the earlier ones may be stored
 * before a later one fails; the runtime then sends the call again and the receivers' inbox skips
 * the duplicates.
 */
public final class ServiceBusSender implements Sender {
  private final ServiceBusClients clients;
  private final Address destination;
  private final String target;
  private final boolean sessions;

  public ServiceBusSender(ServiceBusClients clients, Address destination, Entities entities) {
    this.clients = clients;
    this.destination = destination;
    this.target =
        destination.kind() == Address.Kind.SUBSCRIPTION ? destination.subscription() : null;
    this.sessions = entities.sendsInSessions(destination);
  }

  @Override
  public Address destination() {
    return destination;
  }

  @Override
  public void send(List<Envelope> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    List<ServiceBusMessage> messages = new ArrayList<>(batch.size());
    for (Envelope e : batch) {
      messages.add(message(e, now));
    }
    ServiceBusSenderClient client = clients.sender(destination);
    try {
      sendBatched(client, batch, messages);
    } catch (ServiceBusException e) {
      throw new FerryException(describe(e), e);
    } catch (IllegalStateException e) {
      // A client closed underneath us (e.g. after the connection was disposed): start afresh.
      clients.discard(destination, client);
      throw new FerryException(
          "Sending to Service Bus entity '"
              + Entities.sendEntity(destination)
              + "' failed: "
              + e.getMessage(),
          e);
    }
  }

  private ServiceBusMessage message(Envelope e, Instant now) {
    String defaultSession = sessions ? e.correlationId() : null;
    return ServiceBusWireFormat.toMessage(e, defaultSession, target, now);
  }

  private static void sendBatched(
      ServiceBusSenderClient client, List<Envelope> envelopes, List<ServiceBusMessage> messages) {
    ServiceBusMessageBatch current = client.createMessageBatch();
    for (int i = 0; i < messages.size(); i++) {
      if (tryAdd(current, messages.get(i), envelopes.get(i))) {
        continue;
      }
      if (current.getCount() == 0) {
        throw tooLarge(envelopes.get(i), current.getMaxSizeInBytes());
      }
      client.sendMessages(current);
      current = client.createMessageBatch();
      if (!tryAdd(current, messages.get(i), envelopes.get(i))) {
        throw tooLarge(envelopes.get(i), current.getMaxSizeInBytes());
      }
    }
    if (current.getCount() > 0) {
      client.sendMessages(current);
    }
  }

  /** False when the batch is full; throws when the message alone exceeds the limit. */
  private static boolean tryAdd(ServiceBusMessageBatch batch, ServiceBusMessage m, Envelope e) {
    try {
      return batch.tryAddMessage(m);
    } catch (ServiceBusException ex) {
      // The SDK refuses a message larger than the whole limit with an exception, not false.
      MessageTooLargeException tooLarge = tooLarge(e, batch.getMaxSizeInBytes());
      tooLarge.initCause(ex);
      throw tooLarge;
    }
  }

  private static MessageTooLargeException tooLarge(Envelope e, int limit) {
    return new MessageTooLargeException(
        "Message "
            + e.id()
            + " ("
            + e.messageType()
            + ") does not fit a Service Bus message: its body of "
            + e.body().length
            + " bytes plus its properties exceed the entity's limit of "
            + limit
            + " bytes");
  }

  private String describe(ServiceBusException e) {
    String entity = Entities.sendEntity(destination);
    if (ServiceBusClients.isNotFound(e)) {
      return "Service Bus entity '"
          + entity
          + "' does not exist ("
          + destination
          + "); create the "
          + (destination.kind() == Address.Kind.QUEUE ? "queue" : "topic")
          + " first: the transport does not create entities";
    }
    return "Sending to Service Bus entity '"
        + entity
        + "' failed ("
        + e.getReason()
        + (e.isTransient() ? ", transient" : "")
        + "): "
        + e.getMessage();
  }

  @Override
  public void close() {
    // The SDK client is shared per entity and closed with the transport.
  }
}
