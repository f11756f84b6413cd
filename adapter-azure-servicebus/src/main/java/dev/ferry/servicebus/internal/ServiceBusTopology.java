package dev.ferry.servicebus.internal;

import dev.ferry.Address;
import dev.ferry.spi.support.WireNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Ferry addresses as the Service Bus entities to create: queues, topics, and subscriptions whose
 * one rule lets through what is broadcast and the copies meant for that subscriber (retries,
 * replays sent to the topic with {@link ServiceBusWireFormat#TARGET}), not those meant for others.
 */
public final class ServiceBusTopology {
  /** The name of the rule each Ferry subscription has instead of {@code $Default}. */
  public static final String RULE = "ferry";

  private static final String SCOPE =
      "--resource-group \"$RESOURCE_GROUP\" --namespace-name \"$NAMESPACE\"";

  private ServiceBusTopology() {}

  /** The SQL filter of a subscription's rule. */
  public static String filter(String subscription) {
    return WireNames.TARGET
        + " IS NULL OR "
        + WireNames.TARGET
        + " = '"
        + subscription.replace("'", "''")
        + "'";
  }

  /** One line per entity, for the routing report. */
  public static List<String> entities(List<Address> addresses) {
    List<String> lines = new ArrayList<>();
    for (Address a : addresses) {
      lines.add(
          switch (a.kind()) {
            case QUEUE -> "queue " + a.name();
            case TOPIC -> "topic " + a.name();
            case SUBSCRIPTION ->
                "subscription "
                    + Entities.path(a)
                    + " with rule "
                    + RULE
                    + ": "
                    + filter(a.subscription());
          });
    }
    return lines;
  }

  /** Azure CLI commands that create the entities, reading the namespace from the environment. */
  public static String azureCli(List<Address> addresses) {
    StringBuilder sh = new StringBuilder();
    sh.append("# Ferry entities on Azure Service Bus; set RESOURCE_GROUP and NAMESPACE first.\n");
    for (Address a : addresses) {
      switch (a.kind()) {
        case QUEUE ->
            sh.append("az servicebus queue create ")
                .append(SCOPE)
                .append(" --name ")
                .append(a.name())
                .append("\n");
        case TOPIC ->
            sh.append("az servicebus topic create ")
                .append(SCOPE)
                .append(" --name ")
                .append(a.name())
                .append("\n");
        case SUBSCRIPTION -> {
          String on =
              SCOPE + " --topic-name " + a.name() + " --subscription-name " + a.subscription();
          sh.append("az servicebus topic subscription create ")
              .append(SCOPE)
              .append(" --topic-name ")
              .append(a.name())
              .append(" --name ")
              .append(a.subscription())
              .append("\n");
          sh.append("az servicebus topic subscription rule delete ")
              .append(on)
              .append(" --name '$Default'\n");
          sh.append("az servicebus topic subscription rule create ")
              .append(on)
              .append(" --name ")
              .append(RULE)
              .append(" --filter-sql-expression \"")
              .append(filter(a.subscription()))
              .append("\"\n");
        }
      }
    }
    return sh.toString();
  }
}
