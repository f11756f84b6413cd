package dev.ferry.cdi;

import dev.ferry.Handles;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the application's handler beans: every class of a bean archive with a {@link Handles}
 * method. The bus gets their instances from CDI, so handlers can inject what they need. Where the
 * server provides MicroProfile Health, it also adds Ferry's readiness and liveness checks.
 */
public class FerryExtension implements Extension {
  static final String HEALTH_API = "org.eclipse.microprofile.health.HealthCheck";
  private final List<Class<?>> handlerClasses = new CopyOnWriteArrayList<>();

  void addHealthChecks(@Observes BeforeBeanDiscovery event) {
    if (!healthApiPresent()) {
      return;
    }
    event.addAnnotatedType(dev.ferry.cdi.health.FerryReadinessCheck.class, "ferry-readiness-check");
    event.addAnnotatedType(dev.ferry.cdi.health.FerryLivenessCheck.class, "ferry-liveness-check");
  }

  private static boolean healthApiPresent() {
    try {
      Class.forName(HEALTH_API, false, FerryExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  <T> void collect(@Observes @WithAnnotations(Handles.class) ProcessAnnotatedType<T> event) {
    AnnotatedType<T> type = event.getAnnotatedType();
    Class<T> c = type.getJavaClass();
    if (!c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
      handlerClasses.add(c);
    }
  }

  /** The handler classes found, in discovery order. */
  public List<Class<?>> handlerClasses() {
    return List.copyOf(handlerClasses);
  }
}
