package dev.ferry.testkit.servicebus;

import java.util.List;

/**
 * What one entity holds at one moment. For a queue or subscription, {@code messages} are its stored
 * messages in every state and {@code deadLetters} its dead-letter sub-queue; for a topic, {@code
 * messages} are the scheduled messages it has not yet copied to its subscriptions.
 *
 * @param path the entity path
 * @param messages stored messages in sequence-number order
 * @param deadLetters the dead-letter sub-queue in sequence-number order
 */
public record EntitySnapshot(
    String path, List<MessageSnapshot> messages, List<MessageSnapshot> deadLetters) {

  public EntitySnapshot {
    messages = List.copyOf(messages);
    deadLetters = List.copyOf(deadLetters);
  }

  public List<MessageSnapshot> inState(MessageState state) {
    return messages.stream().filter(message -> message.state() == state).toList();
  }

  /** Service Bus's active message count: visible messages, locked or not. */
  public int activeCount() {
    return inState(MessageState.AVAILABLE).size() + inState(MessageState.LOCKED).size();
  }

  public int scheduledCount() {
    return inState(MessageState.SCHEDULED).size();
  }

  public int deferredCount() {
    return inState(MessageState.DEFERRED).size();
  }

  public int deadLetterCount() {
    return deadLetters.size();
  }
}
