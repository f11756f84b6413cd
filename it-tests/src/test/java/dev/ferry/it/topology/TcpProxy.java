package dev.ferry.it.topology;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between a node and its broker that can stop forwarding without closing anything: to
 * the node the broker then looks hung, so that what the node committed to its outbox stays there,
 * under its lease, until the node is killed.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean forwarding = true;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "proxy-" + targetPort);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String tcp() {
    return "tcp://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on bytes are read and dropped in both directions; connections stay open. */
  void hang() {
    forwarding = false;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (forwarding) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // one side closed: the other follows
              }
              closeQuietly(from);
              closeQuietly(to);
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Stops accepting and closes every connection: to the node, the broker is gone. */
  void cut() {
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
  }

  @Override
  public void close() {
    cut();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
