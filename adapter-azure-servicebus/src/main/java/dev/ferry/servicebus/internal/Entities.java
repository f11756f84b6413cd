package dev.ferry.servicebus.internal;

import dev.ferry.Address;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ferry addresses as Service Bus entities: a queue, a topic, or a topic's subscription ({@code
 * topic/subscriptions/sub}). Service Bus cannot send to a subscription, so a copy meant for one
 * subscriber goes to the topic with {@link ServiceBusWireFormat#TARGET}. Entity names ignore case,
 * as in Service Bus.
 */
public final class Entities {
  private final Set<String> sessionEntities;

  /**
   * @param sessionEntities addresses of entities that require sessions, as configured
   */
  public Entities(Collection<Address> sessionEntities) {
    this.sessionEntities = sessionEntities.stream().map(Entities::key).collect(Collectors.toSet());
  }

  /** The entity a sender for this address sends to: the queue, or the topic. */
  public static String sendEntity(Address a) {
    return a.name();
  }

  /** The entity path, e.g. {@code orders} or {@code events/subscriptions/billing}. */
  public static String path(Address a) {
    return a.kind() == Address.Kind.SUBSCRIPTION
        ? a.name() + "/subscriptions/" + a.subscription()
        : a.name();
  }

  /** Whether a listener on this address must receive in sessions. */
  public boolean receivesInSessions(Address a) {
    return sessionEntities.contains(key(a));
  }

  /**
   * Whether messages sent to this address need a SessionId: a session queue, or a topic (or a copy
   * meant for a subscription) with a subscription that requires sessions.
   */
  public boolean sendsInSessions(Address a) {
    if (a.kind() == Address.Kind.QUEUE) {
      return sessionEntities.contains(key(a));
    }
    String topic = "topic:" + a.name().toLowerCase(Locale.ROOT) + "/";
    return sessionEntities.stream().anyMatch(k -> k.startsWith(topic));
  }

  private static String key(Address a) {
    return (a.kind() == Address.Kind.QUEUE ? "queue:" : "topic:")
        + path(a).toLowerCase(Locale.ROOT);
  }
}
