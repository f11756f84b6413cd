package dev.ferry.spi.support;

import dev.ferry.Address;
import dev.ferry.spi.HostExecutors;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener whose worker threads pull from their source, one per {@link
 * ListenerSettings#concurrency()}: a worker takes a message only when it is free. This class owns
 * the workers' life (start, pause, resume, close); a transport writes only what one worker does
 * ({@link #work()}), which returns once {@link #running()} is false.
 */
public abstract class PollingListener implements Listener {
  private static final Logger log = LoggerFactory.getLogger(PollingListener.class);
  private static final long PAUSED_POLL_MS = 20;

  private final Address source;
  private final ListenerSettings settings;
  private final HostExecutors executors;
  private final String threadName;
  private final CountDownLatch finished;
  private ExecutorService workers;
  private volatile boolean running = true;
  private volatile boolean paused;

  /**
   * @param threadName the workers' thread name prefix, e.g. {@code ferry-jms-orders}
   */
  protected PollingListener(
      Address source, ListenerSettings settings, HostExecutors executors, String threadName) {
    this.source = source;
    this.settings = settings;
    this.executors = executors;
    this.threadName = threadName;
    this.finished = new CountDownLatch(settings.concurrency());
  }

  /** Starts the workers. */
  public void start() {
    workers = executors.workers(threadName, settings.concurrency());
    for (int i = 0; i < settings.concurrency(); i++) {
      workers.execute(this::runWorker);
    }
  }

  private void runWorker() {
    try {
      work();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finished.countDown();
    }
  }

  /** One worker's loop: receive, hand over, settle, until {@link #running()} is false. */
  protected abstract void work() throws InterruptedException;

  /** False once {@link #close()} began: workers finish what they hold and return. */
  protected final boolean running() {
    return running;
  }

  /**
   * Waits while the listener is paused; returns whether it is still running. A worker calls it
   * before it takes more.
   */
  protected final boolean awaitResumed() throws InterruptedException {
    while (paused && running) {
      Thread.sleep(PAUSED_POLL_MS);
    }
    return running;
  }

  protected final ListenerSettings settings() {
    return settings;
  }

  protected final HostExecutors executors() {
    return executors;
  }

  @Override
  public final Address source() {
    return source;
  }

  @Override
  public final void pause() {
    paused = true;
  }

  @Override
  public final void resume() {
    paused = false;
  }

  @Override
  public void close() {
    running = false;
    try {
      if (!finished.await(30, TimeUnit.SECONDS)) {
        log.warn("Listener on {} did not stop within 30s", source);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (workers != null && executors.ownsExecutors()) {
      workers.shutdownNow();
    }
  }
}
