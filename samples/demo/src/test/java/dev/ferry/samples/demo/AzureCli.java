package dev.ferry.samples.demo;

import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads back the Azure CLI commands a routing description prints, as a shell would split them, and
 * creates the same entities in the Service Bus test double. Fails on any line it does not
 * understand, so that the printed text and what the double holds cannot drift apart.
 */
record AzureCli(
    Set<String> queues, Set<String> topics, Set<String> subscriptions, Map<String, String> rules) {

  static AzureCli parse(String text) {
    Set<String> queues = new LinkedHashSet<>();
    Set<String> topics = new LinkedHashSet<>();
    Set<String> subscriptions = new LinkedHashSet<>();
    Map<String, String> rules = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> words = words(line);
      String command = String.join(" ", words.subList(0, Math.min(words.size(), 5)));
      Map<String, String> options = options(words);
      if (!"$RESOURCE_GROUP".equals(options.get("--resource-group"))
          || !"$NAMESPACE".equals(options.get("--namespace-name"))) {
        throw new IllegalArgumentException("not scoped to the namespace: " + line);
      }
      if (command.startsWith("az servicebus queue create")) {
        queues.add(options.get("--name"));
      } else if (command.startsWith("az servicebus topic create")) {
        topics.add(options.get("--name"));
      } else if (command.equals("az servicebus topic subscription create")) {
        subscriptions.add(options.get("--topic-name") + "/subscriptions/" + options.get("--name"));
      } else if (command.equals("az servicebus topic subscription rule")) {
        String subscription =
            options.get("--topic-name") + "/subscriptions/" + options.get("--subscription-name");
        switch (words.get(5)) {
          case "delete" -> {
            if (!"$Default".equals(options.get("--name"))) {
              throw new IllegalArgumentException("deletes another rule: " + line);
            }
            rules.remove(subscription);
          }
          case "create" ->
              rules.put(
                  subscription,
                  options.get("--name") + ": " + options.get("--filter-sql-expression"));
          default -> throw new IllegalArgumentException("unknown rule command: " + line);
        }
      } else {
        throw new IllegalArgumentException("unknown command: " + line);
      }
    }
    return new AzureCli(queues, topics, subscriptions, rules);
  }

  /** The double with exactly these entities, each subscription with its printed rule. */
  ServiceBusTestDouble.Builder createIn(ServiceBusTestDouble.Builder namespace) {
    queues.forEach(namespace::queue);
    Map<String, TopicSettings> byTopic = new LinkedHashMap<>();
    topics.forEach(t -> byTopic.put(t, TopicSettings.defaults()));
    for (String s : subscriptions) {
      String topic = s.substring(0, s.indexOf("/subscriptions/"));
      String name = s.substring(s.indexOf("/subscriptions/") + "/subscriptions/".length());
      if (!byTopic.containsKey(topic)) {
        throw new IllegalArgumentException("subscription " + s + " of a topic never created");
      }
      byTopic.put(topic, byTopic.get(topic).withSubscription(name));
      String rule = rules.get(s);
      if (rule != null) {
        byTopic.put(
            topic, byTopic.get(topic).withRule(name, rule.substring(rule.indexOf(": ") + 2)));
      }
    }
    byTopic.forEach(namespace::topic);
    return namespace;
  }

  /** Splits like a POSIX shell for the quoting the commands use: '...' and "..." words. */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote: " + line);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  private static Map<String, String> options(List<String> words) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).startsWith("--")) {
        options.put(words.get(i), i + 1 < words.size() ? words.get(i + 1) : "");
        i++;
      }
    }
    return options;
  }
}
