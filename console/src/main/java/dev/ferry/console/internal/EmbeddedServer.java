package dev.ferry.console.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.console.ConsoleApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The console on the JDK's HTTP server, for hosts without a servlet container. Every API call needs
 * the token: as a bearer header (the CLI) or as the cookie that opening the operator link sets (a
 * browser, which then drops the token from its address bar). The token never goes to the log.
 */
public final class EmbeddedServer implements AutoCloseable {
  /** Cookies are not kept apart by port: each console names its own after its port. */
  private static final String COOKIE_PREFIX = "ferry-console-";

  private static final int MAX_BODY = 4 * 1024 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ConsoleApi api;
  private final StaticAssets assets;
  private final String token;
  private final String operator;
  private final String cookie;

  public EmbeddedServer(
      ConsoleApi api,
      StaticAssets assets,
      String bindAddress,
      int port,
      String token,
      String operator)
      throws IOException {
    this.api = api;
    this.assets = assets;
    this.token = token;
    this.operator = operator;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "ferry-console-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 50);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
    this.cookie = COOKIE_PREFIX + server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      securityHeaders(x);
      String path = x.getRequestURI().getRawPath();
      Map<String, String> query = query(x.getRequestURI().getRawQuery());
      if (path.startsWith("/api/")) {
        api(x, path.substring("/api".length()), query);
        return;
      }
      if (query.containsKey("token")) {
        login(x, query.get("token"));
        return;
      }
      StaticAssets.Asset asset = assets.find(path);
      if (asset == null || !"GET".equals(x.getRequestMethod())) {
        send(x, 404, "text/plain; charset=utf-8", "Not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      send(x, 200, asset.contentType(), asset.bytes());
    }
  }

  /** Trades the link's token for an HTTP-only cookie and sends the browser on without it. */
  private void login(HttpExchange x, String given) throws IOException {
    if (!valid(given)) {
      send(x, 401, "text/plain; charset=utf-8", "Wrong token".getBytes(StandardCharsets.UTF_8));
      return;
    }
    x.getResponseHeaders()
        .add("Set-Cookie", cookie + "=" + given + "; Path=/; HttpOnly; SameSite=Strict");
    x.getResponseHeaders().add("Location", "/");
    send(x, 303, "text/plain; charset=utf-8", new byte[0]);
  }

  private void api(HttpExchange x, String path, Map<String, String> query) throws IOException {
    String channel = channel(x);
    if (channel == null) {
      send(
          x,
          401,
          "application/json; charset=utf-8",
          "{\"error\":\"Open the console through the link the process printed, or send"
              .concat(" Authorization: Bearer <token>\"}")
              .getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] body = read(x.getRequestBody());
    if (body == null) {
      send(x, 413, "application/json; charset=utf-8", "{\"error\":\"Body too large\"}".getBytes());
      return;
    }
    ConsoleApi.Reply reply =
        api.handle(
            new ConsoleApi.Request(
                x.getRequestMethod(),
                path,
                query,
                body,
                operator + " (" + channel + ")",
                "token",
                x.getRequestHeaders().getFirst(CsrfGuard.HEADER),
                x.getRequestHeaders().getFirst("Origin"),
                x.getRequestHeaders().getFirst("Host")));
    send(x, reply.status(), reply.contentType(), reply.body());
  }

  /** {@code web} for the cookie, {@code cli} for a bearer token, null if neither is valid. */
  private String channel(HttpExchange x) {
    String auth = x.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.startsWith("Bearer ") && valid(auth.substring(7).trim())) {
      return "cli";
    }
    String cookies = x.getRequestHeaders().getFirst("Cookie");
    if (cookies != null) {
      for (String c : cookies.split(";")) {
        String[] kv = c.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals(cookie) && valid(kv[1])) {
          return "web";
        }
      }
    }
    return null;
  }

  private boolean valid(String given) {
    return given != null
        && MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  /** The page may load only its own scripts and styles, and never be framed. */
  private static void securityHeaders(HttpExchange x) {
    var h = x.getResponseHeaders();
    h.add(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    h.add("X-Content-Type-Options", "nosniff");
    h.add("X-Frame-Options", "DENY");
    h.add("Referrer-Policy", "no-referrer");
    h.add("Cache-Control", "no-store");
  }

  private static void send(HttpExchange x, int status, String type, byte[] body)
      throws IOException {
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    byte[] b = in.readNBytes(MAX_BODY + 1);
    return b.length > MAX_BODY ? null : b;
  }

  static Map<String, String> query(String raw) {
    Map<String, String> m = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      m.putIfAbsent(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return m;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
