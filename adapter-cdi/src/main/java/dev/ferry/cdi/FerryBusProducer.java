package dev.ferry.cdi;

import dev.ferry.BusBuilder;
import dev.ferry.MessageBus;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
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
    if (stores.isResolvable()) {
      builder.store(stores.get());
    }
    if (transports.isResolvable()) {
      builder.transport(transports.get());
    }
    customizers.forEach(c -> c.customize(builder));
    return builder.build();
  }

  void close(@Disposes MessageBus bus) {
    bus.close();
  }

  /** Starts the bus with the application, so that a misconfiguration fails the deployment. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object event, MessageBus bus) {
    log.info("Ferry bus '{}' is running in the container", bus.serviceName());
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
