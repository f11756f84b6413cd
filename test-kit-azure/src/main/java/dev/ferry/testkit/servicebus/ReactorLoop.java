package dev.ferry.testkit.servicebus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.engine.BaseHandler;
import org.apache.qpid.proton.engine.Event;
import org.apache.qpid.proton.reactor.Acceptor;
import org.apache.qpid.proton.reactor.Reactor;
import org.apache.qpid.proton.reactor.ReactorOptions;
import org.apache.qpid.proton.reactor.Selectable;
import org.apache.qpid.proton.reactor.impl.AcceptorImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proton-j reactor on its own thread. Proton objects and the broker model are touched only
 * here; other threads hand work over with {@link #execute} or {@link #call}, which wake the reactor
 * through a pipe (the same trick the Azure SDK's ReactorDispatcher uses, because a quiescent
 * reactor only wakes up for I/O or timers).
 */
final class ReactorLoop {

  private static final Logger LOG = LoggerFactory.getLogger(ReactorLoop.class);
  private static final int TICK_MILLIS = 20;
  private static final int SHUTDOWN_GRACE_MILLIS = 200;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final ServerHandler server;
  private final Reactor reactor;
  private final Pipe wakeup;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean stopping;
  private volatile int port = -1;
  private volatile Throwable startFailure;
  private Acceptor acceptor;
  private Selectable wakeupSelectable;

  ReactorLoop(ServerHandler server, String host, int requestedPort) throws IOException {
    this.server = server;
    this.wakeup = Pipe.open();
    this.wakeup.source().configureBlocking(false);
    ReactorOptions options = new ReactorOptions();
    options.setEnableSaslByDefault(true); // the acceptor then answers SASL ANONYMOUS itself
    this.reactor = Proton.reactor(options, new Root(host, requestedPort));
    this.thread = new Thread(this::run, "servicebus-double");
    this.thread.setDaemon(true);
  }

  /** Starts the reactor and returns the bound port. */
  int start() throws IOException {
    thread.start();
    try {
      if (!started.await(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("The Service Bus double did not start in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while starting", e);
    }
    if (startFailure != null) {
      throw new IOException("The Service Bus double could not listen", startFailure);
    }
    return port;
  }

  private void run() {
    try {
      reactor.run();
    } catch (RuntimeException | Error e) {
      if (started.getCount() > 0) {
        startFailure = e;
      } else {
        LOG.error("Service Bus double reactor failed", e);
      }
    } finally {
      started.countDown();
      reactor.free(); // closes every socket and the selector
      closeQuietly(wakeup.sink());
      closeQuietly(wakeup.source());
    }
  }

  boolean isRunning() {
    return thread.isAlive() && !stopping;
  }

  void execute(Runnable task) {
    if (!thread.isAlive()) {
      throw new IllegalStateException("The Service Bus double is closed");
    }
    tasks.add(task);
    try {
      wakeup.sink().write(ByteBuffer.wrap(new byte[] {1}));
    } catch (IOException e) {
      throw new IllegalStateException("The Service Bus double is closed", e);
    }
  }

  /** Runs on the reactor thread and waits; once stopped, the model is quiet and read directly. */
  <T> T call(Callable<T> work) {
    if (Thread.currentThread() == thread || !thread.isAlive()) {
      try {
        return work.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(
        () -> {
          try {
            result.complete(work.call());
          } catch (Exception | Error e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("The Service Bus double did not answer in time", e);
    }
  }

  /** Closes the listener and every connection (with a close frame), then stops the thread. */
  void stop() {
    if (!thread.isAlive()) {
      return;
    }
    execute(
        () -> {
          stopping = true;
          if (acceptor != null) {
            acceptor.close();
          }
          server.closeAllConnections();
          reactor.schedule(SHUTDOWN_GRACE_MILLIS, new Stop());
        });
    try {
      thread.join(CALL_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("Service Bus double reactor did not stop within {}", CALL_TIMEOUT);
    }
  }

  private void drainTasks() {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      while (wakeup.source().read(buffer) > 0) {
        buffer.clear();
      }
    } catch (IOException e) {
      LOG.debug("Wake-up pipe read failed", e);
    }
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("Task on the Service Bus double failed", e);
      }
    }
    server.afterWork();
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  /** Reactor start-up: listen, hook up the wake-up pipe, start the timer. */
  private final class Root extends BaseHandler {
    private final String host;
    private final int requestedPort;

    Root(String host, int requestedPort) {
      this.host = host;
      this.requestedPort = requestedPort;
    }

    @Override
    public void onReactorInit(Event event) {
      try {
        acceptor = reactor.acceptor(host, requestedPort, server);
        port = ((AcceptorImpl) acceptor).getPortNumber();
      } catch (IOException e) {
        startFailure = e;
        started.countDown();
        reactor.stop();
        return;
      }
      wakeupSelectable = reactor.selectable();
      wakeupSelectable.setChannel(wakeup.source());
      wakeupSelectable.onReadable(selectable -> drainTasks());
      wakeupSelectable.setReading(true);
      reactor.update(wakeupSelectable);
      reactor.schedule(TICK_MILLIS, new Tick());
      started.countDown();
    }
  }

  /** Lock expiry, scheduled messages, TTL and session waits all run off this timer. */
  private final class Tick extends BaseHandler {
    @Override
    public void onTimerTask(Event event) {
      if (stopping) {
        return;
      }
      try {
        server.tick();
      } catch (RuntimeException e) {
        LOG.error("Service Bus double timer failed", e);
      }
      reactor.schedule(TICK_MILLIS, this);
    }
  }

  private final class Stop extends BaseHandler {
    @Override
    public void onTimerTask(Event event) {
      wakeupSelectable.terminate();
      reactor.update(wakeupSelectable);
      reactor.stop();
    }
  }
}
