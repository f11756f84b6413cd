package dev.ferry.internal.handlers;

import dev.ferry.ConfigurationException;
import dev.ferry.Handles;
import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds classes with {@link Handles} methods in given packages, in directories and jars of a class
 * loader. Only the named packages are read, so start-up stays quick.
 */
public final class ClasspathScanner {
  private ClasspathScanner() {}

  public static List<Class<?>> handlerClasses(ClassLoader loader, List<String> packages) {
    Set<String> classNames = new LinkedHashSet<>();
    for (String pkg : packages) {
      String path = pkg.replace('.', '/');
      try {
        Enumeration<URL> roots = loader.getResources(path);
        while (roots.hasMoreElements()) {
          collect(roots.nextElement(), path, classNames);
        }
      } catch (IOException | URISyntaxException e) {
        throw new ConfigurationException("Cannot scan package " + pkg + " for handlers", e);
      }
    }
    List<Class<?>> result = new ArrayList<>();
    for (String name : classNames) {
      try {
        Class<?> c = Class.forName(name, false, loader);
        if (!c.isInterface()
            && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())
            && Arrays.stream(c.getMethods()).anyMatch(m -> m.isAnnotationPresent(Handles.class))) {
          result.add(c);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // A class that cannot load (optional dependency missing) cannot be a handler here.
      }
    }
    return result;
  }

  private static void collect(URL root, String path, Set<String> out)
      throws IOException, URISyntaxException {
    switch (root.getProtocol()) {
      case "file" -> {
        Path dir = Paths.get(root.toURI());
        try (Stream<Path> files = Files.walk(dir)) {
          files
              .filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$"))
              .forEach(
                  p -> {
                    String rel = dir.relativize(p).toString().replace(File.separatorChar, '/');
                    out.add((path + "/" + rel).replace('/', '.').replaceAll("\\.class$", ""));
                  });
        }
      }
      case "jar" -> {
        JarURLConnection conn = (JarURLConnection) root.openConnection();
        conn.setUseCaches(false);
        try (JarFile jar = conn.getJarFile()) {
          Enumeration<JarEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String n = entries.nextElement().getName();
            if (n.startsWith(path + "/") && n.endsWith(".class") && !n.contains("$")) {
              out.add(n.replace('/', '.').replaceAll("\\.class$", ""));
            }
          }
        }
      }
      default -> {
        // Other protocols (vfs: in app servers) are served by the CDI extension instead.
      }
    }
  }
}
