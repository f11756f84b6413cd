package dev.ferry.jdbi.contract;

import dev.ferry.Address;
import dev.ferry.DeadLetter;
import dev.ferry.Envelope;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.OutgoingEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Envelopes and dead letters with every field set, and short-hands for store calls. */
public final class ContractData {
  private ContractData() {}

  /** Now, at the precision every store keeps (PostgreSQL keeps microseconds). */
  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }

  public static Envelope envelope(String id) {
    Instant t = now();
    return Envelope.builder()
        .id(id)
        .messageType("ferry.test.contract.v1")
        .contentType("application/json")
        .correlationId("corr-" + id)
        .causationId("cause-" + id)
        .replyTo("local:queue:replies")
        .replyType("ferry.test.reply.v1")
        .source("contract")
        .sentAt(t)
        .deliverBy(t.plus(1, ChronoUnit.DAYS))
        .scheduledFor(null)
        .attempts(2)
        .tenant("acme")
        .traceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        .traceState("vendor=x")
        .headers(Map.of("customer", "c-" + id, "empty", "", "unicode", "Grüße ✓"))
        .body(("{\"id\":\"" + id + "\",\"bytes\":\"\u00e9\"}").getBytes(StandardCharsets.UTF_8))
        .build();
  }

  public static OutgoingEnvelope outgoing(String id) {
    return new OutgoingEnvelope(envelope(id), Address.parse("local:queue:contract"), null);
  }

  public static OutgoingEnvelope scheduled(String id, Instant dueAt) {
    Envelope e = envelope(id).toBuilder().scheduledFor(dueAt).build();
    return new OutgoingEnvelope(e, Address.parse("topic:contract/subscriptions/billing"), dueAt);
  }

  public static List<OutgoingEnvelope> outgoing(String prefix, int n) {
    List<OutgoingEnvelope> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(outgoing(prefix + i));
    }
    return all;
  }

  public static DeadLetter deadLetter(String id, String endpoint, Instant at) {
    return new DeadLetter(
        id + "@" + endpoint,
        envelope(id),
        endpoint,
        "handler-failed",
        IllegalStateException.class.getName(),
        "boom " + id,
        "java.lang.IllegalStateException: boom\n\tat x.y.Z.handle(Z.java:1)\n",
        3,
        at.minusSeconds(5),
        at);
  }

  public static void store(
      EnvelopeStore store, Collection<OutgoingEnvelope> envelopes, String owner, Instant leaseUntil)
      throws Exception {
    store.inTransaction(
        uow -> {
          store.storeOutgoing(uow, envelopes, owner, leaseUntil);
          return null;
        });
  }

  public static List<String> ids(Collection<OutgoingEnvelope> envelopes) {
    return envelopes.stream().map(OutgoingEnvelope::id).toList();
  }

  public static List<String> messageIds(Collection<OutgoingEnvelope> envelopes) {
    return envelopes.stream().map(o -> o.envelope().id()).toList();
  }
}
