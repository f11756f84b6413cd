package dev.ferry.jms;

import static dev.ferry.config.ConfigKey.Type.BOOLEAN;
import static dev.ferry.config.ConfigKey.Type.DURATION;
import static dev.ferry.config.ConfigKey.Type.INT;
import static dev.ferry.config.ConfigKey.Type.STRING;

import dev.ferry.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** Configuration keys of the JMS transport; each has a {@link JmsTransport.Builder} method. */
public final class JmsKeys {
  private JmsKeys() {}

  public static final ConfigKey<String> URL =
      ConfigKey.of(
          "ferry.jms.url",
          STRING,
          null,
          "Broker URL for the default provider (ActiveMQ Artemis), e.g. tcp://broker:61616 or"
              + " vm://0. Not needed with a connection factory from JNDI or code.",
          "url");

  public static final ConfigKey<String> USER =
      ConfigKey.of("ferry.jms.user", STRING, null, "Broker user name.", "user");

  public static final ConfigKey<String> PASSWORD =
      ConfigKey.secret("ferry.jms.password", "Broker password.", "password");

  public static final ConfigKey<String> JNDI_NAME =
      ConfigKey.of(
          "ferry.jms.connection-factory-jndi",
          STRING,
          null,
          "JNDI name of the connection factory, e.g. java:/ConnectionFactory in an app server."
              + " Wins over ferry.jms.url.",
          "connectionFactoryJndi");

  public static final ConfigKey<Boolean> TEXT_MESSAGES =
      ConfigKey.of(
          "ferry.jms.text-messages",
          BOOLEAN,
          "false",
          "Send bodies as TextMessage (UTF-8) instead of BytesMessage. Both are read.",
          "textMessages");

  public static final ConfigKey<Integer> MAX_BODY_SIZE =
      ConfigKey.of(
          "ferry.jms.max-body-size",
          INT,
          "10485760",
          "Largest body in bytes a listener reads (10 MiB by default). A larger message is not"
              + " read whole: it becomes a dead letter (reason message-too-large) that keeps its"
              + " first bytes up to this limit and its size in header ferry-original-body-size.",
          "maxBodySize");

  public static final ConfigKey<Duration> RECONNECT_INITIAL =
      ConfigKey.of(
          "ferry.jms.reconnect.initial-delay",
          DURATION,
          "100ms",
          "First wait before reconnecting after the connection was lost; doubles per failure.",
          "reconnectInitialDelay");

  public static final ConfigKey<Duration> RECONNECT_MAX =
      ConfigKey.of(
          "ferry.jms.reconnect.max-delay",
          DURATION,
          "10s",
          "Longest wait between reconnection attempts.",
          "reconnectMaxDelay");

  public static final ConfigKey<Integer> CONSUMER_WINDOW =
      ConfigKey.of(
          "ferry.jms.artemis.consumer-window-bytes",
          INT,
          "65536",
          "Artemis only: bytes a consumer buffers ahead of its handler; bounds client memory.",
          "consumerWindowBytes");

  public static List<ConfigKey<?>> all() {
    return List.of(
        URL,
        USER,
        PASSWORD,
        JNDI_NAME,
        TEXT_MESSAGES,
        MAX_BODY_SIZE,
        RECONNECT_INITIAL,
        RECONNECT_MAX,
        CONSUMER_WINDOW);
  }
}
