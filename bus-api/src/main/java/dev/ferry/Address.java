package dev.ferry;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where messages go or come from: a queue, a topic, or a topic subscription, optionally naming its
 * transport.
 *
 * <p>Text forms: {@code queue:orders}, {@code topic:orders}, {@code
 * topic:orders/subscriptions/billing}, each optionally prefixed by a transport ({@code
 * jms:queue:orders}, {@code servicebus:topic:orders/subscriptions/billing}); {@code local:orders}
 * is short for {@code local:queue:orders}. Without a transport the configured one is meant.
 *
 * @param transport the transport name, or null for the configured transport
 * @param kind queue, topic or subscription
 * @param name the queue or topic name
 * @param subscription the subscription name (kind {@link Kind#SUBSCRIPTION} only)
 */
public record Address(String transport, Kind kind, String name, String subscription) {

  /** The kinds of address. */
  public enum Kind {
    QUEUE,
    TOPIC,
    SUBSCRIPTION
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-$]{0,259}");
  private static final Pattern TRANSPORT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public Address {
    Objects.requireNonNull(kind, "kind");
    if (transport != null && !TRANSPORT.matcher(transport).matches()) {
      throw new IllegalArgumentException("Invalid transport name in address: '" + transport + "'");
    }
    checkName(name, "name");
    if (kind == Kind.SUBSCRIPTION) {
      checkName(subscription, "subscription");
    } else if (subscription != null) {
      throw new IllegalArgumentException("Only a subscription address names a subscription");
    }
  }

  private static void checkName(String value, String what) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Invalid " + what + " in address: '" + value + "' (letters, digits, '.', '_', '-')");
    }
  }

  public static Address queue(String name) {
    return new Address(null, Kind.QUEUE, name, null);
  }

  public static Address topic(String name) {
    return new Address(null, Kind.TOPIC, name, null);
  }

  public static Address subscription(String topic, String subscription) {
    return new Address(null, Kind.SUBSCRIPTION, topic, subscription);
  }

  /** Parses the text form described in the class documentation. */
  public static Address parse(String text) {
    Objects.requireNonNull(text, "address");
    String rest = text.trim();
    String transport = null;
    String first = head(rest).toLowerCase(Locale.ROOT);
    if (!first.equals("queue") && !first.equals("topic") && rest.contains(":")) {
      transport = first;
      rest = rest.substring(first.length() + 1);
      if (!rest.contains(":")) {
        // "local:orders" style: a transport followed directly by a queue name.
        return new Address(transport, Kind.QUEUE, rest, null);
      }
    }
    String kindText = head(rest);
    String path = rest.substring(Math.min(rest.length(), kindText.length() + 1));
    switch (kindText.toLowerCase(Locale.ROOT)) {
      case "queue":
        return new Address(transport, Kind.QUEUE, path, null);
      case "topic":
        int sub = path.indexOf("/subscriptions/");
        if (sub < 0) {
          return new Address(transport, Kind.TOPIC, path, null);
        }
        return new Address(
            transport,
            Kind.SUBSCRIPTION,
            path.substring(0, sub),
            path.substring(sub + "/subscriptions/".length()));
      default:
        throw new IllegalArgumentException(
            "Invalid address '"
                + text
                + "': expected [transport:]queue:NAME, [transport:]topic:NAME or"
                + " [transport:]topic:NAME/subscriptions/SUB");
    }
  }

  private static String head(String s) {
    int i = s.indexOf(':');
    return i < 0 ? s : s.substring(0, i);
  }

  /** This address on the given transport. */
  public Address on(String transportName) {
    return new Address(transportName, kind, name, subscription);
  }

  @Override
  public String toString() {
    String prefix = transport == null ? "" : transport + ":";
    return switch (kind) {
      case QUEUE -> prefix + "queue:" + name;
      case TOPIC -> prefix + "topic:" + name;
      case SUBSCRIPTION -> prefix + "topic:" + name + "/subscriptions/" + subscription;
    };
  }
}
