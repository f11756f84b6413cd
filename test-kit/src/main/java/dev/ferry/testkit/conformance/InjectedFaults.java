package dev.ferry.testkit.conformance;

import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Faults thrown into a running loop through an interface it calls: a RuntimeException on the first
 * call, an Error on the second, then the calls go through. For the suites that show every
 * long-running loop survives what is thrown into it.
 */
public final class InjectedFaults {
  private final AtomicInteger calls = new AtomicInteger();

  /** Calls that went through this so far, the faulty ones included. */
  public int calls() {
    return calls.get();
  }

  /** Throws the next fault, if one is left. */
  public void maybeThrow() {
    int n = calls.incrementAndGet();
    if (n == 1) {
      throw new IllegalStateException("injected RuntimeException");
    }
    if (n == 2) {
      throw new StackOverflowError("injected Error");
    }
  }

  /** {@code target}, whose {@code method} first goes through {@link #maybeThrow}. */
  public <T> T into(Class<T> type, T target, String method) {
    return intercept(
        type,
        target,
        (name, args) -> {
          if (name.equals(method)) {
            maybeThrow();
          }
        },
        UnaryOperator.identity());
  }

  /** {@code transport}, whose senders' {@code send} first goes through {@link #maybeThrow}. */
  public Transport intoSenders(Transport transport) {
    return intercept(
        Transport.class,
        transport,
        (name, args) -> {},
        result -> result instanceof Sender s ? into(Sender.class, s, "send") : result);
  }

  /**
   * {@code transport}, whose listeners hand their deliveries to a handler that first goes through
   * {@link #maybeThrow}: the fault is thrown into the transport's own receive loop.
   */
  public Transport intoListeners(Transport transport) {
    return intercept(
        Transport.class,
        transport,
        (name, args) -> {
          if (name.equals("listen")) {
            args[2] = into(DeliveryHandler.class, (DeliveryHandler) args[2], "handle");
          }
        },
        UnaryOperator.identity());
  }

  /** What an interception does before a call: may throw, or change the arguments. */
  @FunctionalInterface
  public interface Before {
    void accept(String method, Object[] args);
  }

  /**
   * {@code target} behind a proxy of {@code type}: {@code before} sees each call first, {@code
   * after} may replace each result.
   */
  public static <T> T intercept(
      Class<T> type, T target, Before before, UnaryOperator<Object> after) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              before.accept(m.getName(), args);
              try {
                return after.apply(m.invoke(target, args));
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }
}
