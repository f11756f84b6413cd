package dev.ferry.spi.support;

import java.util.HexFormat;

/**
 * The envelope's names on a broker, one set for every transport ({@code docs/wire-format.md}):
 * CloudEvents attributes and Ferry's extensions as {@code cloudEvents_*} properties (the
 * CloudEvents JMS binding's names, which are also valid on AMQP and Service Bus), trace context
 * under its W3C names (as OpenTelemetry's messaging instrumentations and the Azure SDK write and
 * read it), and user headers as {@code ferryh_<name>} properties: escaped ({@link #headerProperty})
 * where the broker restricts property names (JMS: Java identifiers), the name unchanged where it
 * does not (Service Bus), which is what its other clients read. property as well (JMSType,
 * MessageId) still writes and reads these names, so one reader understands every transport.
 */
public final class WireNames {
  private WireNames() {}

  public static final String SPEC_VERSION = "cloudEvents_specversion";
  public static final String ID = "cloudEvents_id";
  public static final String TYPE = "cloudEvents_type";
  public static final String SOURCE = "cloudEvents_source";
  public static final String TIME = "cloudEvents_time";
  public static final String CONTENT_TYPE = "cloudEvents_datacontenttype";
  public static final String CORRELATION_ID = "cloudEvents_correlationid";
  public static final String CAUSATION_ID = "cloudEvents_causationid";
  public static final String REPLY_TO = "cloudEvents_replyto";
  public static final String REPLY_TYPE = "cloudEvents_replytype";
  public static final String DELIVER_BY = "cloudEvents_deliverby";
  public static final String SCHEDULED_FOR = "cloudEvents_scheduledfor";
  public static final String ATTEMPTS = "cloudEvents_attempts";
  public static final String TENANT = "cloudEvents_tenant";

  /** Set on copies meant for one subscription of a topic (retries, replays). */
  public static final String TARGET = "cloudEvents_ferrytarget";

  /** W3C Trace Context, written under these names on every transport. */
  public static final String TRACE_PARENT = "traceparent";

  public static final String TRACE_STATE = "tracestate";

  /**
   * The CloudEvents distributed-tracing extension's names in the JMS binding: read when {@link
   * #TRACE_PARENT} is absent (a CloudEvents producer writes these).
   */
  public static final String CLOUDEVENTS_TRACE_PARENT = "cloudEvents_traceparent";

  public static final String CLOUDEVENTS_TRACE_STATE = "cloudEvents_tracestate";

  public static final String HEADER_PREFIX = "ferryh_";

  /**
   * A user header name as a property name: {@code ferryh_} plus the name, where every character
   * other than an ASCII letter or digit is written {@code _XXXX} (its UTF-16 code in hex), so
   * {@code customer-id} becomes {@code ferryh_customer_002did}.
   */
  public static String headerProperty(String header) {
    StringBuilder sb = new StringBuilder(HEADER_PREFIX);
    HexFormat hex = HexFormat.of();
    for (char c : header.toCharArray()) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        sb.append(c);
      } else {
        sb.append('_').append(hex.toHexDigits(c));
      }
    }
    return sb.toString();
  }

  /**
   * The user header a {@link #headerProperty} names; throws {@link IllegalArgumentException} when
   * an escape is not four hex digits.
   */
  public static String headerName(String property) {
    String s = property.substring(HEADER_PREFIX.length());
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '_' && i + 5 <= s.length()) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
        i += 4;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
