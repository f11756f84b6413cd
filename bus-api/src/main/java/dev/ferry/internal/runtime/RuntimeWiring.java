package dev.ferry.internal.runtime;

import dev.ferry.Address;
import dev.ferry.ErrorPolicy;
import dev.ferry.FerryException;
import dev.ferry.config.FerryKeys;
import dev.ferry.internal.handlers.HandlerRegistry;
import dev.ferry.internal.memory.InMemoryEnvelopeStore;
import dev.ferry.internal.routing.Router;
import dev.ferry.internal.serialization.JacksonSerializer;
import dev.ferry.internal.types.MessageTypes;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.ObserverFactory;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a bus from its spec: settings, routing, the transport (given, or found by {@code
 * ferry.transport}), executors, store, serializer, error policies and the runtime's parts, then
 * starts it; and describes a bus's routing without starting anything.
 */
public final class RuntimeWiring {
  private RuntimeWiring() {}

  /** Builds and starts a bus; on failure, releases whatever had started and rethrows. */
  public static FerryRuntime start(BusSpec spec) {
    RuntimeSettings settings = RuntimeSettings.from(spec.config());
    RoutingSetup routing = describe(spec);
    Transport transport =
        spec.transport() != null ? spec.transport() : loadTransport(spec, settings);
    if (!transport.name().equals(settings.transport())) {
      // A transport handed to the builder wins over ferry.transport.
      settings = RuntimeSettings.from(spec.config(), transport.name(), settings.nodeId());
    }
    HostExecutors executors = spec.executors() != null ? spec.executors() : HostExecutors.bounded();
    EnvelopeStore store =
        spec.store() != null
            ? spec.store()
            : new InMemoryEnvelopeStore(
                spec.config().require(FerryKeys.MEMORY_OUTBOX_CAPACITY),
                spec.config().require(FerryKeys.MEMORY_INBOX_CAPACITY),
                spec.config().require(FerryKeys.MEMORY_DEAD_LETTER_CAPACITY),
                settings.sendTimeout());
    MessageTypes types = routing.types;
    HandlerRegistry handlers = routing.handlers;
    Router router = routing.router;
    Counters counters = new Counters();
    List<ObserverFactory> named = namedObservers(spec);
    List<MessageObserver> all = new ArrayList<>(spec.observers());
    named.forEach(f -> all.add(f.create(spec.config())));
    Observers observers = new Observers(all);
    Outbox outbox = new Outbox(settings, transport, store, executors, counters, observers);
    ErrorPolicy fallback =
        spec.defaultPolicy() != null ? spec.defaultPolicy() : ErrorPolicy.defaultPolicy();
    RuntimeParts parts =
        new RuntimeParts(
            settings,
            types,
            handlers,
            router,
            spec.serializer() != null ? spec.serializer() : new JacksonSerializer(),
            store,
            transport.capabilities(),
            new FailurePlan(
                spec.errorPolicies(),
                fallback,
                FailurePlan.redelivery(spec.config().require(FerryKeys.REDELIVERY))),
            counters,
            observers,
            outbox,
            executors.scheduler());
    FerryRuntime runtime = new FerryRuntime(parts, routing, transport, executors);
    try {
      runtime.startParts(spec);
      for (ObserverFactory f : named) {
        runtime.keepObserverResource(f.started(runtime));
      }
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    } catch (Exception e) {
      runtime.close();
      throw new FerryException("Cannot start the bus: " + e.getMessage(), e);
    }
    return runtime;
  }

  private static List<ObserverFactory> namedObservers(BusSpec spec) {
    List<String> names = spec.config().get(FerryKeys.OBSERVERS);
    return names == null || names.isEmpty() ? List.of() : ObserverFactory.named(names);
  }

  /**
   * Describes the routing of a bus without starting it: the transport is only named (by the spec's
   * instance or ferry.transport), never connected.
   */
  public static RoutingSetup describe(BusSpec spec) {
    RuntimeSettings settings = RuntimeSettings.from(spec.config());
    String transport = spec.transport() != null ? spec.transport().name() : settings.transport();
    Address replies =
        !configuredNode(spec)
            ? null
            : spec.transport() != null
                ? bare(spec.transport().replyAddress(settings.nodeId()))
                : Transport.replyQueue(settings.nodeId());
    return RoutingSetup.prepare(spec, transport, settings.serviceName(), replies);
  }

  /** Only a node whose id is configured has a reply queue that can be named ahead. */
  private static boolean configuredNode(BusSpec spec) {
    return spec.config().get(FerryKeys.NODE_ID) != null;
  }

  private static Address bare(Address a) {
    return new Address(null, a.kind(), a.name(), a.subscription());
  }

  private static Transport loadTransport(BusSpec spec, RuntimeSettings settings) {
    return TransportFactory.load(settings.transport(), spec.config());
  }
}
