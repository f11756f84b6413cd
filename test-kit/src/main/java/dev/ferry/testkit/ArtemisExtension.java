package dev.ferry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a real ActiveMQ Artemis broker in its own process, reachable over TCP:
 *
 * <pre>{@code
 * @RegisterExtension static final ArtemisExtension artemis = new ArtemisExtension();
 *
 * @Test void ordersFlow() {
 *   Transport jms = JmsTransport.builder().url(artemis.broker().tcpUrl()).build();
 * }
 * }</pre>
 *
 * <p>The broker starts before the class's first test and stops after its last. Its journal is a new
 * directory under {@code target/}, so that nothing of an earlier run is redelivered. With
 * {@code @ExtendWith(ArtemisExtension.class)} instead, take an {@link EmbeddedArtemis} parameter. A
 * test that stops and starts brokers itself uses {@link #start(String)}.
 */
public final class ArtemisExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private EmbeddedArtemis broker;

  /** The broker of the running test class. */
  public EmbeddedArtemis broker() {
    if (broker == null) {
      throw new IllegalStateException(
          "The broker starts before the test class: register the extension on a static field");
    }
    return broker;
  }

  /**
   * Starts a broker of its own, with a new journal under {@code target/artemis-NAME-*}; the caller
   * closes it.
   */
  public static EmbeddedArtemis start(String name) {
    try {
      Path dir = Path.of("target", "artemis-" + name + "-" + System.nanoTime());
      Files.createDirectories(dir);
      return EmbeddedArtemis.builder().dataDirectory(dir).start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the broker's journal directory", e);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the embedded Artemis broker", e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = start(context.getRequiredTestClass().getSimpleName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedArtemis.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return broker();
  }
}
