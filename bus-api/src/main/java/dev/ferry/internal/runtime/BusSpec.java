package dev.ferry.internal.runtime;

import dev.ferry.ErrorPolicy;
import dev.ferry.MessageHandler;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.MessageObserver;
import dev.ferry.spi.Serializer;
import dev.ferry.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a builder collected, handed to the runtime in one piece. Null parts mean: the default.
 */
public record BusSpec(
    FerryConfig config,
    List<Object> handlerInstances,
    List<ExplicitHandler<?>> explicitHandlers,
    List<Class<?>> handlerClasses,
    Function<Class<?>, Object> handlerFactory,
    Map<String, Class<?>> messageTypes,
    List<Class<?>> annotatedTypes,
    List<Class<?>> events,
    Map<Class<?>, String> routes,
    List<ErrorPolicy> errorPolicies,
    ErrorPolicy defaultPolicy,
    Transport transport,
    EnvelopeStore store,
    Serializer serializer,
    HostExecutors executors,
    List<MessageObserver> observers) {

  /** A handler registered with a lambda. */
  public record ExplicitHandler<T>(Class<T> type, MessageHandler<T> handler, String name) {}
}
