package dev.ferry.cdi;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Transport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.ThreadFactory;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces the application's {@link MessageBus}: handler beans from {@link FerryExtension},
 * configuration from MicroProfile Config (or system properties, environment, {@code
 * ferry.properties}), threads from the container's {@code ManagedThreadFactory}, and an {@link
 * EnvelopeStore} or {@link Transport} bean if the application produces one. It starts with the
 * application and stops with it.
 */
@ApplicationScoped
public class FerryBusProducer {
  private static final Logger log = LoggerFactory.getLogger(FerryBusProducer.class);
  static final String MANAGED_THREAD_FACTORY = "java:comp/DefaultManagedThreadFactory";
  static final String JTA_REGISTRY = "java:comp/TransactionSynchronizationRegistry";

  /** The bus starts after the application's observers of the same event (default priority). */
  public static final int START_PRIORITY = Interceptor.Priority.PLATFORM_AFTER + 500;

  @Inject FerryExtension extension;
  @Inject Instance<FerryCustomizer> customizers;
  @Inject Instance<EnvelopeStore> stores;
  @Inject Instance<Transport> transports;

  @Produces
  @ApplicationScoped
  MessageBus bus() {
    BusBuilder builder =
        MessageBus.builder()
            .handlerClasses(extension.handlerClasses().toArray(Class<?>[]::new))
            .handlerFactory(type -> CDI.current().select(type).get())
            .executors(executors());
    EnvelopeStore store = stores.isResolvable() ? stores.get() : null;
    if (store != null) {
      builder.store(store);
    }
    warnIfNotAtomic(store);
    if (transports.isResolvable()) {
      builder.transport(transports.get());
    }
    customizers.forEach(c -> c.customize(builder));
    return builder.build();
  }

  void close(@Disposes MessageBus bus) {
    bus.close();
  }

  /**
   * Starts the bus with the application, so that a misconfiguration (an unknown {@code
   * ferry.transport}, a missing connection factory) fails the deployment with the {@link
   * dev.ferry.ConfigurationException} that names the key, not the first message. It observes late
   * ({@link #START_PRIORITY}): the application's own observers of the same event, e.g. one creating
   * tables the handlers need, run before any listener takes a message.
   */
  void start(
      @Observes @Priority(START_PRIORITY) @Initialized(ApplicationScoped.class) Object event,
      MessageBus bus) {
    try {
      log.info("Ferry bus '{}' is running in the container", bus.serviceName());
    } catch (RuntimeException e) {
      log.error("Ferry cannot start, so the deployment fails: {}", e.getMessage());
      throw e;
    }
  }

  private void warnIfNotAtomic(EnvelopeStore store) {
    if (store != null && store.durable()) {
      return;
    }
    try {
      new InitialContext().lookup(JTA_REGISTRY);
      log.warn(
          "Ferry uses its in-memory store: messages sent in a JTA transaction are not written with"
              + " the transaction's data and are lost on a crash. Produce an EnvelopeStore bean"
              + " (e.g. ferry-outbox-jdbi's JdbiEnvelopeStore on the container's data source) to"
              + " send them atomically.");
    } catch (NamingException | RuntimeException e) {
      // No JTA here: nothing to warn about.
    }
  }

  private static HostExecutors executors() {
    try {
      Object found = new InitialContext().lookup(MANAGED_THREAD_FACTORY);
      if (found instanceof ThreadFactory managed) {
        return HostExecutors.bounded(managed);
      }
    } catch (NamingException | RuntimeException e) {
      log.debug("No managed thread factory at {}; using plain threads", MANAGED_THREAD_FACTORY);
    }
    return HostExecutors.bounded();
  }
}
