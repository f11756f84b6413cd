package dev.ferry.testkit;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.MessageType;
import dev.ferry.spi.OutgoingEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What one tracked action caused; see {@link MessageTracking}. */
public final class TrackedSession {

  /** One thing that happened to a message. */
  public record Event(long atMillis, String kind, Envelope envelope, String where, String detail) {
    @Override
    public String toString() {
      return String.format(
          "+%5dms %-13s %-32s %s%s",
          atMillis,
          kind,
          envelope.messageType(),
          where,
          detail == null ? "" : "  (" + detail + ")");
    }
  }

  private final long startNanos = System.nanoTime();
  private final Set<String> correlationIds = new HashSet<>();
  private final List<Event> events = new ArrayList<>();

  /** Outgoing ids stored but not yet accepted by the transport. */
  private final Set<String> pendingSends = new HashSet<>();

  /** Envelope ids delivered to a queue and not yet picked up there. */
  private final Set<String> awaitingReceipt = new HashSet<>();

  /** Envelope ids picked up by a listener (possibly before their delivery was reported). */
  private final Set<String> pickedUp = new HashSet<>();

  private int activeAttempts;
  private long lastEventNanos = System.nanoTime();

  TrackedSession() {}

  synchronized void adopt(String correlationId) {
    if (correlationId != null) {
      correlationIds.add(correlationId);
    }
  }

  synchronized boolean tracks(Envelope e) {
    return e.correlationId() != null && correlationIds.contains(e.correlationId());
  }

  private void record(String kind, Envelope e, Object where, String detail) {
    events.add(
        new Event(
            (System.nanoTime() - startNanos) / 1_000_000, kind, e, String.valueOf(where), detail));
    lastEventNanos = System.nanoTime();
    notifyAll();
  }

  synchronized void onSent(OutgoingEnvelope o) {
    pendingSends.add(o.id());
    record("sent", o.envelope(), o.destination(), null);
  }

  synchronized void onDelivered(OutgoingEnvelope o) {
    pendingSends.remove(o.id());
    Address d = o.destination();
    boolean oneReceiver = d.kind() != Address.Kind.TOPIC && !d.name().startsWith("ferry.replies.");
    if (oneReceiver && !pickedUp.contains(o.envelope().id())) {
      awaitingReceipt.add(o.envelope().id());
    }
    record("delivered", o.envelope(), d, null);
  }

  private void pickedUp(Envelope e) {
    pickedUp.add(e.id());
    awaitingReceipt.remove(e.id());
  }

  synchronized void onReceived(Envelope e, Address endpoint, int attempt) {
    pickedUp(e);
    activeAttempts++;
    record("received", e, endpoint, "attempt " + attempt);
  }

  synchronized void onHandled(Envelope e, Address endpoint) {
    activeAttempts--;
    record("handled", e, endpoint, null);
  }

  synchronized void onFailed(Envelope e, Address endpoint, Throwable failure, int attempt) {
    activeAttempts--;
    record("failed", e, endpoint, "attempt " + attempt + ": " + failure);
  }

  synchronized void onDeadLettered(DeadLetter d) {
    pickedUp(d.envelope());
    record("dead-lettered", d.envelope(), d.endpoint(), d.reason());
  }

  synchronized void onDropped(Envelope e, Address endpoint, String reason) {
    pickedUp(e);
    record("dropped", e, endpoint, reason);
  }

  synchronized void awaitQuiet(Duration timeout, Duration quiet) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long now = System.nanoTime();
      boolean idle = pendingSends.isEmpty() && awaitingReceipt.isEmpty() && activeAttempts <= 0;
      if (idle && now - lastEventNanos >= quiet.toNanos()) {
        return;
      }
      if (now >= deadline) {
        throw new AssertionError(
            "Tracked messages still in flight after "
                + timeout
                + " (sends pending: "
                + pendingSends.size()
                + ", awaiting receipt: "
                + awaitingReceipt.size()
                + ", handlers running: "
                + activeAttempts
                + ")\n"
                + report());
      }
      try {
        wait(Math.max(1, Math.min(quiet.toMillis(), (deadline - now) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for tracked messages");
      }
    }
  }

  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  private synchronized List<Envelope> envelopes(String kind, String alias) {
    return events.stream()
        .filter(ev -> ev.kind().equals(kind))
        .filter(ev -> alias == null || alias.equals(ev.envelope().messageType()))
        .map(Event::envelope)
        .toList();
  }

  /** Envelopes whose handlers committed. */
  public List<Envelope> handled() {
    return envelopes("handled", null);
  }

  public List<Envelope> handled(Class<?> messageType) {
    return envelopes("handled", alias(messageType));
  }

  public List<Envelope> sent(Class<?> messageType) {
    return envelopes("sent", alias(messageType));
  }

  public List<Envelope> deadLettered() {
    return envelopes("dead-lettered", null);
  }

  public List<Envelope> failed() {
    return envelopes("failed", null);
  }

  public List<Envelope> dropped() {
    return envelopes("dropped", null);
  }

  private static String alias(Class<?> type) {
    MessageType t = type.getAnnotation(MessageType.class);
    if (t == null) {
      throw new IllegalArgumentException(type.getName() + " has no @MessageType");
    }
    return t.value();
  }

  /** Everything that happened, one line per event, in order. */
  public synchronized String report() {
    StringBuilder sb = new StringBuilder("Tracked session, " + events.size() + " event(s):\n");
    events.forEach(e -> sb.append("  ").append(e).append('\n'));
    return sb.toString();
  }
}
