package dev.ferry.internal.handlers;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.FerryException;
import dev.ferry.Handles;
import dev.ferry.MessageContext;
import dev.ferry.MessageHandler;
import dev.ferry.MessageType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Handlers by message type, from annotated methods or explicit registrations. */
public final class HandlerRegistry {
  private final Map<Class<?>, List<HandlerDescriptor>> byType = new LinkedHashMap<>();
  private final Set<Class<?>> returnedTypes = new LinkedHashSet<>();

  /** Registers every {@link Handles} method of an instance. Fails if it has none. */
  public void registerInstance(Object instance) {
    Class<?> type = instance.getClass();
    List<Method> methods =
        Arrays.stream(type.getMethods())
            .filter(m -> m.isAnnotationPresent(Handles.class))
            .sorted(Comparator.comparing(Method::toGenericString))
            .toList();
    if (methods.isEmpty()) {
      throw new IllegalArgumentException(
          type.getName() + " has no public method annotated with @Handles");
    }
    for (Method m : methods) {
      add(describe(instance, m));
      if (m.getReturnType().isAnnotationPresent(MessageType.class)) {
        returnedTypes.add(m.getReturnType());
      }
    }
  }

  /**
   * The message types that annotated handlers declare as their return type: what they cascade, so
   * that routing knows where they go before the first one is returned.
   */
  public Set<Class<?>> returnedTypes() {
    return Set.copyOf(returnedTypes);
  }

  public <T> void register(Class<T> messageType, MessageHandler<T> handler, String name) {
    add(
        new HandlerDescriptor(
            messageType, name, null, (msg, ctx) -> handler.handle(messageType.cast(msg), ctx)));
  }

  private void add(HandlerDescriptor d) {
    byType.computeIfAbsent(d.messageType(), k -> new ArrayList<>()).add(d);
  }

  /** Handlers whose message type is the class or a supertype of it, in registration order. */
  public List<HandlerDescriptor> handlersFor(Class<?> messageType) {
    List<HandlerDescriptor> result = new ArrayList<>();
    byType.forEach(
        (type, handlers) -> {
          if (type.isAssignableFrom(messageType)) {
            result.addAll(handlers);
          }
        });
    return result;
  }

  /** The registered message types that have handlers. */
  public List<Class<?>> handledTypes() {
    return List.copyOf(byType.keySet());
  }

  public List<HandlerDescriptor> all() {
    return byType.values().stream().flatMap(List::stream).toList();
  }

  private static HandlerDescriptor describe(Object target, Method m) {
    if (Modifier.isStatic(m.getModifiers()) && target == null) {
      throw new IllegalArgumentException("static handlers need no instance: " + m);
    }
    Parameter[] params = m.getParameters();
    if (params.length == 0) {
      throw new IllegalArgumentException(
          "@Handles method " + m + " needs the message as its first parameter");
    }
    Class<?> messageType = params[0].getType();
    Class<?>[] extra = new Class<?>[params.length - 1];
    for (int i = 1; i < params.length; i++) {
      extra[i - 1] = params[i].getType();
    }
    String name =
        m.getDeclaringClass().getSimpleName()
            + "."
            + m.getName()
            + "("
            + messageType.getSimpleName()
            + ")";
    String endpointText = m.getAnnotation(Handles.class).endpoint();
    Address endpoint = endpointText.isBlank() ? null : Address.parse(endpointText);
    m.setAccessible(true);
    HandlerDescriptor.Invoker invoker =
        (message, ctx) -> {
          Object[] args = new Object[params.length];
          args[0] = message;
          for (int i = 0; i < extra.length; i++) {
            args[i + 1] = resolve(extra[i], ctx, name);
          }
          try {
            return m.invoke(target, args);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
              throw ex;
            }
            if (cause instanceof Error err) {
              throw err;
            }
            throw e;
          }
        };
    return new HandlerDescriptor(messageType, name, endpoint, invoker);
  }

  private static Object resolve(Class<?> type, MessageContext ctx, String handler) {
    if (type == MessageContext.class) {
      return ctx;
    }
    if (type == Envelope.class) {
      return ctx.envelope();
    }
    return ctx.resource(type)
        .orElseThrow(
            () ->
                new FerryException(
                    "Handler "
                        + handler
                        + " asks for a "
                        + type.getName()
                        + " but the unit of work has none (is a durable store configured for"
                        + " this endpoint?)"));
  }
}
