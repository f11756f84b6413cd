package dev.ferry.jms;

import dev.ferry.Address;
import dev.ferry.ConfigurationException;
import dev.ferry.config.ConfigKey;
import dev.ferry.config.ConfigOverrides;
import dev.ferry.config.FerryConfig;
import dev.ferry.jms.internal.JmsConnection;
import dev.ferry.jms.internal.JmsListener;
import dev.ferry.jms.internal.JmsSender;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jakarta Messaging transport ({@code ferry.transport=jms}). The connection factory comes from,
 * in order: the builder, JNDI ({@code ferry.jms.connection-factory-jndi}), or ActiveMQ Artemis at
 * {@code ferry.jms.url}.
 *
 * <pre>{@code
 * MessageBus bus = MessageBus.builder()
 *     .transport(JmsTransport.builder().url("tcp://broker:61616").build())
 *     .build();
 * }</pre>
 */
public final class JmsTransport implements Transport {
  private static final Logger log = LoggerFactory.getLogger(JmsTransport.class);
  static final String NAME = "jms";

  private final ConfigOverrides overrides;
  private final ConnectionFactory givenFactory;
  private JmsConnection connection;
  private HostExecutors executors;
  private boolean textMessages;
  private int maxBodySize;
  private final List<JmsListener> listeners = new CopyOnWriteArrayList<>();

  private JmsTransport(ConfigOverrides overrides, ConnectionFactory factory) {
    this.overrides = overrides;
    this.givenFactory = factory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** From configuration only (used by {@code ferry.transport=jms}). */
  static JmsTransport fromConfig() {
    return new JmsTransport(new ConfigOverrides(), null);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TransportCapabilities capabilities() {
    // JMS 2 delivery delay schedules natively; JMSXDeliveryCount counts deliveries.
    return new TransportCapabilities(true, false, true, false, 0);
  }

  @Override
  public void start(TransportContext context) throws Exception {
    FerryConfig config = overrides.over(context.config());
    this.executors = context.executors();
    this.textMessages = config.require(JmsKeys.TEXT_MESSAGES);
    this.maxBodySize = config.require(JmsKeys.MAX_BODY_SIZE);
    if (maxBodySize < 1) {
      throw new ConfigurationException(
          JmsKeys.MAX_BODY_SIZE.name() + " must be >= 1, was " + maxBodySize);
    }
    ConnectionFactory factory = factory(config);
    this.connection =
        new JmsConnection(
            factory,
            config.get(JmsKeys.USER),
            config.get(JmsKeys.PASSWORD),
            config.require(JmsKeys.RECONNECT_INITIAL),
            config.require(JmsKeys.RECONNECT_MAX));
    try {
      connection.get(); // fail at start-up, not at the first message
    } catch (Exception e) {
      connection.close();
      throw new ConfigurationException(
          "Cannot connect to the JMS broker (" + describe(config) + "): " + e.getMessage(), e);
    }
    log.info("JMS transport connected ({})", describe(config));
  }

  /** Where the connection goes, without credentials. */
  private String describe(FerryConfig config) {
    if (givenFactory != null) {
      return "connection factory " + givenFactory.getClass().getSimpleName();
    }
    String jndi = config.get(JmsKeys.JNDI_NAME);
    if (jndi != null) {
      return "JNDI " + jndi;
    }
    String url = config.get(JmsKeys.URL);
    return url == null ? "no URL" : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private ConnectionFactory factory(FerryConfig config) {
    if (givenFactory != null) {
      return givenFactory;
    }
    String jndi = config.get(JmsKeys.JNDI_NAME);
    if (jndi != null) {
      try {
        Object found = new InitialContext().lookup(jndi);
        if (!(found instanceof ConnectionFactory cf)) {
          throw new ConfigurationException(
              JmsKeys.JNDI_NAME.name()
                  + ": "
                  + jndi
                  + " is a "
                  + (found == null ? "null" : found.getClass().getName())
                  + ", not a jakarta.jms.ConnectionFactory");
        }
        return cf;
      } catch (NamingException e) {
        throw new ConfigurationException(
            JmsKeys.JNDI_NAME.name()
                + ": no connection factory at "
                + jndi
                + " ("
                + e.getMessage()
                + ")",
            e);
      }
    }
    String url = config.get(JmsKeys.URL);
    if (url == null) {
      throw new ConfigurationException(
          "ferry.transport=jms needs a broker: set "
              + JmsKeys.URL.name()
              + " ("
              + JmsKeys.URL.environmentVariable()
              + ") or "
              + JmsKeys.JNDI_NAME.name()
              + ", or give JmsTransport.builder() a connection factory");
    }
    ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url);
    artemis.setConsumerWindowSize(config.require(JmsKeys.CONSUMER_WINDOW));
    // Ferry reconnects itself (listeners resume, failed sends stay in the outbox).
    artemis.setReconnectAttempts(0);
    return artemis;
  }

  @Override
  public Sender sender(Address destination) {
    return new JmsSender(connection, destination, textMessages, NAME);
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler) {
    JmsListener l =
        new JmsListener(connection, source, settings, handler, executors, NAME, maxBodySize);
    listeners.add(l);
    l.start();
    return l;
  }

  @Override
  public void close() {
    listeners.forEach(JmsListener::close);
    listeners.clear();
    if (connection != null) {
      connection.close();
    }
  }

  /** Builds a {@link JmsTransport}; values set here win over configuration. */
  public static final class Builder {
    private final ConfigOverrides overrides = new ConfigOverrides();
    private ConnectionFactory factory;

    private Builder() {}

    private Builder set(ConfigKey<?> key, Object value) {
      overrides.set(key, value);
      return this;
    }

    /** Any Jakarta Messaging 3.x connection factory. */
    public Builder connectionFactory(ConnectionFactory factory) {
      this.factory = factory;
      return this;
    }

    public Builder url(String url) {
      return set(JmsKeys.URL, url);
    }

    public Builder user(String user) {
      return set(JmsKeys.USER, user);
    }

    public Builder password(String password) {
      return set(JmsKeys.PASSWORD, password);
    }

    public Builder connectionFactoryJndi(String name) {
      return set(JmsKeys.JNDI_NAME, name);
    }

    public Builder textMessages(boolean text) {
      return set(JmsKeys.TEXT_MESSAGES, text);
    }

    public Builder maxBodySize(int bytes) {
      return set(JmsKeys.MAX_BODY_SIZE, bytes);
    }

    public Builder reconnectInitialDelay(Duration delay) {
      return set(JmsKeys.RECONNECT_INITIAL, delay);
    }

    public Builder reconnectMaxDelay(Duration delay) {
      return set(JmsKeys.RECONNECT_MAX, delay);
    }

    public Builder consumerWindowBytes(int bytes) {
      return set(JmsKeys.CONSUMER_WINDOW, bytes);
    }

    public JmsTransport build() {
      return new JmsTransport(overrides.copy(), factory);
    }
  }
}
