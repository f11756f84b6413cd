package dev.ferry.testkit;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.deployers.impl.FileConfigurationParser;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * An ActiveMQ Artemis broker in this process, for demos and tests: an in-VM acceptor and a TCP
 * acceptor speaking CORE and AMQP on loopback, a persistent journal, and dead-letter and expiry
 * addresses. Needs {@code artemis-jakarta-server} (and {@code artemis-amqp-protocol} for AMQP) on
 * the classpath.
 *
 * <pre>{@code
 * try (EmbeddedArtemis broker = EmbeddedArtemis.builder().dataDirectory(dir).start()) {
 *   MessageBus bus = MessageBus.builder()
 *       .transport(JmsTransport.builder().url(broker.tcpUrl()).build()).build();
 * }
 * }</pre>
 */
public final class EmbeddedArtemis implements AutoCloseable {
  private static final AtomicInteger VM_IDS = new AtomicInteger(100);

  private final Builder settings;
  private final int port;
  private final int vmId;
  private EmbeddedActiveMQ server;

  private EmbeddedArtemis(Builder settings, int port) {
    this.settings = settings;
    this.port = port;
    this.vmId = VM_IDS.incrementAndGet();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code tcp://127.0.0.1:PORT}, for CORE clients such as the default provider. */
  public String tcpUrl() {
    return "tcp://127.0.0.1:" + port;
  }

  /** {@code amqp://127.0.0.1:PORT}, for AMQP 1.0 clients such as Qpid JMS. */
  public String amqpUrl() {
    return "amqp://127.0.0.1:" + port;
  }

  /** {@code vm://ID}: the in-VM acceptor, no network involved. */
  public String vmUrl() {
    return "vm://" + vmId;
  }

  public int port() {
    return port;
  }

  public boolean isRunning() {
    return server != null;
  }

  /** Starts (or starts again after {@link #stop()}, with the same journal). */
  public synchronized EmbeddedArtemis startServer() throws Exception {
    if (server != null) {
      return this;
    }
    ConfigurationImpl c = new ConfigurationImpl();
    c.setName("ferry-embedded-" + vmId);
    c.setSecurityEnabled(false);
    c.setPersistenceEnabled(settings.persistent);
    Path dir = settings.dataDirectory;
    c.setJournalDirectory(dir.resolve("journal").toString());
    c.setBindingsDirectory(dir.resolve("bindings").toString());
    c.setPagingDirectory(dir.resolve("paging").toString());
    c.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
    // No libaio here: NIO, with a short buffer timeout so that a durable send does not wait
    // the 3.33 ms default for the journal to flush.
    c.setJournalType(JournalType.NIO);
    c.setJournalBufferTimeout_NIO((int) settings.journalBufferTimeout.toNanos());
    c.setJournalDatasync(settings.datasync);
    c.addAcceptorConfiguration("in-vm", "vm://" + vmId);
    c.addAcceptorConfiguration("tcp", tcpUrl() + "?protocols=CORE,AMQP");
    AddressSettings everything =
        new AddressSettings()
            .setDeadLetterAddress(SimpleString.of("DLQ"))
            .setExpiryAddress(SimpleString.of("ExpiryQueue"))
            // Ferry dead-letters by policy; the broker's limit only stops an endless loop of
            // rollbacks (e.g. a store that never comes back).
            .setMaxDeliveryAttempts(settings.maxDeliveryAttempts)
            .setAutoCreateQueues(true)
            .setAutoCreateDeadLetterResources(true)
            .setAutoCreateExpiryResources(true)
            .setAutoCreateAddresses(true);
    c.addAddressSetting("#", everything);
    if (settings.brokerXml != null) {
      parseInto(c, settings.brokerXml);
    }
    server = new EmbeddedActiveMQ().setConfiguration(c);
    server.start();
    return this;
  }

  /** Stops the broker; persistent messages stay in the journal for the next start. */
  public synchronized void stop() throws Exception {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  /**
   * Stops the broker as a crash would: clients' connections fail with no goodbye, and what was not
   * yet acknowledged stays in the journal for the next {@link #startServer()}.
   */
  public synchronized void crash() throws Exception {
    if (server != null) {
      server.getActiveMQServer().fail(false);
      server = null;
    }
  }

  /**
   * Stops the broker as {@link #stop()} does; a failure to stop is thrown unchecked, so that a
   * try-with-resources block over the broker does not have to handle {@link InterruptedException}.
   */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping the embedded broker", e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("The embedded broker did not stop", e);
    }
  }

  private static void parseInto(ConfigurationImpl c, String coreElements) throws Exception {
    String xml = "<core xmlns=\"urn:activemq:core\">" + coreElements + "</core>";
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Element core =
        factory
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(xml)))
            .getDocumentElement();
    // Parsed on its own, so that only the addresses and their settings are taken over.
    ConfigurationImpl parsed = new ConfigurationImpl();
    new FileConfigurationParser().parseMainConfig(core, parsed);
    parsed.getAddressConfigurations().forEach(c::addAddressConfiguration);
    parsed.getAddressSettings().forEach(c::addAddressSetting);
  }

  /** Configures an {@link EmbeddedArtemis}. */
  public static final class Builder {
    private Path dataDirectory = Path.of("target", "artemis");
    private int port;
    private boolean persistent = true;
    private boolean datasync = true;
    private Duration journalBufferTimeout = Duration.ofNanos(100_000);
    private int maxDeliveryAttempts = 100;
    private String brokerXml;

    private Builder() {}

    /**
     * Entities to create at start, as the children of broker.xml's {@code <core>} element: the
     * {@code <addresses>} and {@code <address-settings>} that {@code
     * RoutingDescription.provisioning("jms", ...)} prints, read by Artemis's own parser.
     */
    public Builder brokerXml(String coreElements) {
      this.brokerXml = coreElements;
      return this;
    }

    /** Where the journal lives; default {@code target/artemis}. */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = dir;
      return this;
    }

    /** TCP port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder persistent(boolean persistent) {
      this.persistent = persistent;
      return this;
    }

    /** Whether the journal syncs to disk (true by default). */
    public Builder datasync(boolean datasync) {
      this.datasync = datasync;
      return this;
    }

    public Builder journalBufferTimeout(Duration timeout) {
      this.journalBufferTimeout = timeout;
      return this;
    }

    public Builder maxDeliveryAttempts(int attempts) {
      this.maxDeliveryAttempts = attempts;
      return this;
    }

    public EmbeddedArtemis start() throws Exception {
      int p = port;
      if (p == 0) {
        try (ServerSocket s = new ServerSocket(0)) {
          p = s.getLocalPort();
        } catch (IOException e) {
          throw new IllegalStateException("No free port for the embedded broker", e);
        }
      }
      return new EmbeddedArtemis(this, p).startServer();
    }
  }
}
