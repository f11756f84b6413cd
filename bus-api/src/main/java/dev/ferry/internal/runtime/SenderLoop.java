package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.spi.OutgoingEnvelope;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.support.LoopSupervisor;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of a destination's sender loops: takes batches from its agent's queue and sends each with its
 * own {@link Sender} (a JMS session, say), so that one loop fills a batch while another waits for
 * the broker to confirm its commit. The agent settles each batch: deletion after a send, release
 * back to the outbox after a failure.
 */
final class SenderLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SenderLoop.class);

  private final DestinationAgent agent;
  private final Address destination;
  private final Transport transport;
  private final int batchSize;
  private final boolean nativeScheduling;
  private Sender sender;

  SenderLoop(DestinationAgent agent, Address destination, Transport transport, int batchSize) {
    this.agent = agent;
    this.destination = destination;
    this.transport = transport;
    this.batchSize = batchSize;
    this.nativeScheduling = transport.capabilities().nativeScheduling();
  }

  @Override
  public void run() {
    List<OutgoingEnvelope> batch = new ArrayList<>(batchSize);
    LoopSupervisor supervisor = new LoopSupervisor("sender to " + destination);
    try {
      while (agent.take(batch, batchSize)) {
        if (batch.isEmpty()) {
          continue;
        }
        try {
          send(batch);
          supervisor.succeeded();
        } catch (RuntimeException | Error unexpected) {
          agent.giveBack(batch); // their rows go back to the outbox; the loop goes on
          supervisor.failed(unexpected);
        } finally {
          agent.done(batch);
          batch.clear();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeSender();
      agent.senderStopped();
    }
  }

  private void send(List<OutgoingEnvelope> batch) {
    List<Envelope> envelopes = new ArrayList<>(batch.size());
    for (OutgoingEnvelope o : batch) {
      envelopes.add(
          nativeScheduling || o.envelope().scheduledFor() == null
              ? o.envelope()
              : o.envelope().toBuilder().scheduledFor(null).build());
    }
    try {
      if (sender == null) {
        sender = transport.sender(destination);
      }
      sender.send(envelopes);
    } catch (Exception | Error e) {
      closeSender();
      agent.sendFailed(batch, e);
      return;
    }
    agent.sent(batch);
  }

  private void closeSender() {
    if (sender != null) {
      try {
        sender.close();
      } catch (RuntimeException e) {
        log.debug("Closing sender for {} failed", destination, e);
      }
      sender = null;
    }
  }
}
