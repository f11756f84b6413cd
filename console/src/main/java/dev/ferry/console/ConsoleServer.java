package dev.ferry.console;

import dev.ferry.console.internal.EmbeddedServer;
import java.net.InetSocketAddress;

/** The running embedded console server; {@link #close()} stops it. */
public final class ConsoleServer implements AutoCloseable {
  private final EmbeddedServer server;
  private final String token;

  ConsoleServer(EmbeddedServer server, String token) {
    this.server = server;
    this.token = token;
  }

  /** The console's address, without the token: safe to log. */
  public String url() {
    InetSocketAddress a = server.address();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  /**
   * The link that signs a browser in: the address with the token. Show it to the local operator (a
   * terminal); do not log it.
   */
  public String operatorUrl() {
    return url() + "?token=" + token;
  }

  /** The token, for the CLI ({@code --token} or {@code FERRY_CONSOLE_TOKEN}). Do not log it. */
  public String token() {
    return token;
  }

  public int port() {
    return server.address().getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
