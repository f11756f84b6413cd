package dev.ferry.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The web UI's files, served from the jar as they are: no build step. */
public final class StaticAssets {
  private static final String ROOT = "/dev/ferry/console/ui/";
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/app.js", "app.js",
          "/app.css", "app.css");

  /** A file and its content type. */
  public record Asset(String contentType, byte[] bytes) {}

  /** The asset at a path, or null; only the listed files exist. */
  public Asset find(String path) {
    String name = FILES.get(path);
    if (name == null) {
      return null;
    }
    try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("Missing console resource " + ROOT + name);
      }
      return new Asset(type(name), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String type(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return "text/css; charset=utf-8";
  }
}
