package dev.ferry.testkit;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A bus for each test, wired by the test class and followed by a {@link MessageTracking}: built
 * before each test, closed after it together with the resources the wiring asked to close.
 *
 * <pre>{@code
 * @RegisterExtension static final ArtemisExtension artemis = new ArtemisExtension();
 *
 * @RegisterExtension
 * final BusExtension orders = new BusExtension(resources -> MessageBus.builder()
 *     .serviceName("orders")
 *     .transport(JmsTransport.builder().url(artemis.broker().tcpUrl()).build())
 *     .store(resources.closeAfterTest(JdbiEnvelopeStore.builder()...build()))
 *     .handlers(new OrderHandlers()));
 *
 * @Test void confirmsAnOrder() {
 *   TrackedSession session = orders.execute(() -> orders.bus().send(new PlaceOrder("o-1")));
 *   assertThat(session.handled(OrderConfirmed.class)).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Test methods may also take the {@link MessageBus} or the {@link MessageTracking} as
 * parameters; with two buses in one class, use the fields. Buses of one test share a tracking when
 * they are given the same one ({@link #BusExtension(MessageTracking, Wiring)}), so that a session
 * follows messages from one service into the other.
 */
public final class BusExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  /** Wires the bus of one test. */
  @FunctionalInterface
  public interface Wiring {
    BusBuilder wire(Resources resources) throws Exception;
  }

  /** What the wiring opened and the extension closes after the test, last opened first. */
  public interface Resources {
    <T extends AutoCloseable> T closeAfterTest(T resource);
  }

  private final MessageTracking tracking;
  private final Wiring wiring;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private MessageBus bus;

  public BusExtension(Wiring wiring) {
    this(new MessageTracking(), wiring);
  }

  public BusExtension(MessageTracking tracking, Wiring wiring) {
    this.tracking = Objects.requireNonNull(tracking, "tracking");
    this.wiring = Objects.requireNonNull(wiring, "wiring");
  }

  /** The running test's bus. */
  public MessageBus bus() {
    if (bus == null) {
      throw new IllegalStateException(
          "The bus exists while a test runs: register the extension on an instance field");
    }
    return bus;
  }

  /** The tracking registered with this bus. */
  public MessageTracking tracking() {
    return tracking;
  }

  /** Runs the action and waits for everything it caused: {@link MessageTracking#execute}. */
  public TrackedSession execute(MessageTracking.Action action) {
    return tracking.execute(action);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    BusBuilder builder =
        wiring.wire(
            new Resources() {
              @Override
              public <T extends AutoCloseable> T closeAfterTest(T resource) {
                resources.add(Objects.requireNonNull(resource, "resource"));
                return resource;
              }
            });
    bus = builder.observer(tracking).build();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    try {
      if (bus != null) {
        bus.close();
      }
    } catch (RuntimeException e) {
      first = e;
    } finally {
      bus = null;
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MessageBus.class || type == MessageTracking.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MessageBus.class ? bus() : tracking;
  }
}
