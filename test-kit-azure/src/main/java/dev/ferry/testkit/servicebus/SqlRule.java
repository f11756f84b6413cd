package dev.ferry.testkit.servicebus;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;

/**
 * A subscription's SQL filter, of the one form the double evaluates: {@code P IS NULL OR P =
 * 'value'} on an application property {@code P}, the rule Ferry prints for its subscriptions.
 * Anything else is refused when the topic is created, rather than silently letting every message
 * through. String comparison ignores case, as Ferry's listeners do.
 */
final class SqlRule {
  private static final Pattern FORM =
      Pattern.compile(
          "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+IS\\s+NULL\\s+OR\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*'((?:[^']|'')*)'\\s*",
          Pattern.CASE_INSENSITIVE);

  private final String property;
  private final String value;

  private SqlRule(String property, String value) {
    this.property = property;
    this.value = value;
  }

  static SqlRule parse(String sql) {
    Matcher m = FORM.matcher(sql);
    if (!m.matches() || !m.group(1).equals(m.group(2))) {
      throw new IllegalArgumentException(
          "The double evaluates only filters of the form \"P IS NULL OR P = 'value'\": " + sql);
    }
    return new SqlRule(m.group(1), m.group(3).replace("''", "'"));
  }

  boolean admits(Message message) {
    ApplicationProperties properties = message.getApplicationProperties();
    Map<?, ?> values = properties == null ? Map.of() : properties.getValue();
    Object actual = values == null ? null : values.get(property);
    return actual == null
        || actual.toString().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT));
  }
}
