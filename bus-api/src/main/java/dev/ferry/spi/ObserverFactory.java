package dev.ferry.spi;

import dev.ferry.MessageBus;
import dev.ferry.config.FerryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates a {@link MessageObserver} by name, for {@code ferry.observers}; registered in {@code
 * META-INF/services/dev.ferry.spi.ObserverFactory}. The configuration-key equivalent of {@link
 * dev.ferry.BusBuilder#observer(MessageObserver)}.
 */
public interface ObserverFactory {

  /** The name in {@code ferry.observers} that selects this factory. */
  String name();

  /** Creates the observer of one bus. */
  MessageObserver create(FerryConfig config);

  /**
   * Called once the bus runs, e.g. to register gauges read from it; the result is closed when the
   * bus closes, before its parts.
   */
  default AutoCloseable started(MessageBus bus) {
    return () -> {};
  }

  /**
   * The factories named, in the order named, or fails naming those on the class path.
   *
   * @throws dev.ferry.ConfigurationException for a name no factory has
   */
  static List<ObserverFactory> named(List<String> names) {
    List<ObserverFactory> available = new ArrayList<>();
    ServiceLoader.load(ObserverFactory.class, ObserverFactory.class.getClassLoader())
        .forEach(available::add);
    List<ObserverFactory> chosen = new ArrayList<>();
    for (String name : names) {
      ObserverFactory found =
          available.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
      if (found == null) {
        throw new dev.ferry.ConfigurationException(
            "ferry.observers names '"
                + name
                + "' but no such observer is on the classpath (available: "
                + available.stream().map(ObserverFactory::name).toList()
                + "). Add its module, e.g. ferry-opentelemetry for 'opentelemetry'.");
      }
      chosen.add(found);
    }
    return chosen;
  }
}
