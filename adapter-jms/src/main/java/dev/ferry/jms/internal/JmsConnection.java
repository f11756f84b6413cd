package dev.ferry.jms.internal;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared JMS connection that is replaced when it breaks. Sessions are created per sender and
 * per consumer thread; when the connection fails they all fail, and each recreates its session on a
 * new connection after a backoff.
 */
public final class JmsConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JmsConnection.class);

  private final ConnectionFactory factory;
  private final String user;
  private final String password;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private Connection connection;
  private long generation;
  private volatile boolean closed;

  public JmsConnection(
      ConnectionFactory factory,
      String user,
      String password,
      Duration initialDelay,
      Duration maxDelay) {
    this.factory = factory;
    this.user = user;
    this.password = password;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  /** A connected, started connection; creates one if there is none or the last one broke. */
  public synchronized Connection get() throws JMSException {
    if (closed) {
      throw new JMSException("The JMS transport is closed");
    }
    if (connection == null) {
      Connection c =
          user == null ? factory.createConnection() : factory.createConnection(user, password);
      long gen = ++generation;
      c.setExceptionListener(e -> broken(gen, e));
      c.start();
      connection = c;
      if (gen > 1) {
        log.info("Reconnected to the JMS broker (connection {})", gen);
      }
    }
    return connection;
  }

  /** Called when a user of the connection saw it fail; the next {@link #get()} reconnects. */
  public synchronized void failed(JMSException cause) {
    broken(generation, cause);
  }

  private synchronized void broken(long gen, JMSException cause) {
    if (gen != generation || connection == null) {
      return; // an older connection, already replaced
    }
    log.warn("JMS connection lost: {}", cause.toString());
    try {
      connection.close();
    } catch (JMSException | RuntimeException e) {
      log.debug("Closing the broken connection failed", e);
    }
    connection = null;
  }

  /**
   * Whether the current connection still works: a session can be opened on it. False when there is
   * none or it broke.
   */
  public boolean isUsable() {
    Connection c;
    synchronized (this) {
      c = connection;
    }
    if (c == null) {
      return false;
    }
    try {
      c.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE).close();
      return true;
    } catch (JMSException | RuntimeException e) {
      return false;
    }
  }

  /** The wait before attempt {@code failures} (1-based): doubling from the initial delay. */
  public Duration backoff(int failures) {
    long ms = initialDelay.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
    return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (connection != null) {
      try {
        connection.close();
      } catch (JMSException e) {
        log.debug("Closing the JMS connection failed", e);
      }
      connection = null;
    }
  }
}
