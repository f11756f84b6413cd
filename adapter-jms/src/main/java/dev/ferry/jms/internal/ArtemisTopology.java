package dev.ferry.jms.internal;

import dev.ferry.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry addresses as Artemis entities. A queue is an address of the same name with one anycast
 * queue; a topic is a multicast address; a subscription is the multicast queue of a shared durable
 * JMS subscription, named {@code topic.subscriber}, which the listener creates with its selector.
 * Every address carries only one routing type, so a message sent to it without a routing-type hint
 * (a plain AMQP 1.0 client) reaches only the queues it was meant for.
 */
public final class ArtemisTopology {
  private ArtemisTopology() {}

  /** One line per entity, for the routing report. */
  public static List<String> entities(List<Address> addresses) {
    List<String> lines = new ArrayList<>();
    for (Address a : addresses) {
      lines.add(
          switch (a.kind()) {
            case QUEUE -> "address " + a.name() + " (anycast) with queue " + a.name();
            case TOPIC -> "address " + a.name() + " (multicast)";
            case SUBSCRIPTION ->
                "queue "
                    + JmsDestinations.subscriptionName(a)
                    + " on address "
                    + a.name()
                    + " (multicast, shared durable subscription, filter "
                    + JmsDestinations.selector(a)
                    + ")";
          });
    }
    return lines;
  }

  /**
   * A broker.xml fragment: the addresses with their routing types, and address settings that give
   * each the same routing type when it is created on first use. Subscription queues are left to the
   * listeners, which create them with their selector.
   */
  public static String brokerXml(List<Address> addresses) {
    StringBuilder addressesXml = new StringBuilder();
    StringBuilder settingsXml = new StringBuilder();
    List<String> subscriptions = new ArrayList<>();
    for (Address a : addresses) {
      switch (a.kind()) {
        case QUEUE -> {
          addressesXml
              .append("  <address name=\"")
              .append(a.name())
              .append("\">\n    <anycast>\n      <queue name=\"")
              .append(a.name())
              .append("\"/>\n    </anycast>\n  </address>\n");
          setting(settingsXml, a.name(), "ANYCAST");
        }
        case TOPIC -> {
          addressesXml
              .append("  <address name=\"")
              .append(a.name())
              .append("\">\n    <multicast/>\n  </address>\n");
          setting(settingsXml, a.name(), "MULTICAST");
        }
        case SUBSCRIPTION -> subscriptions.add(JmsDestinations.subscriptionName(a));
      }
    }
    StringBuilder xml = new StringBuilder();
    xml.append("<!-- Ferry entities on Artemis: inside <core> of broker.xml. -->\n");
    xml.append("<addresses>\n").append(addressesXml).append("</addresses>\n");
    xml.append("<address-settings>\n").append(settingsXml).append("</address-settings>\n");
    for (String s : subscriptions) {
      xml.append("<!-- subscription queue ")
          .append(s)
          .append(": created by its listener (shared durable subscription) -->\n");
    }
    return xml.toString();
  }

  private static void setting(StringBuilder xml, String name, String routingType) {
    xml.append("  <address-setting match=\"")
        .append(name)
        .append("\">\n    <default-address-routing-type>")
        .append(routingType)
        .append("</default-address-routing-type>\n    <default-queue-routing-type>")
        .append(routingType)
        .append("</default-queue-routing-type>\n  </address-setting>\n");
  }
}
