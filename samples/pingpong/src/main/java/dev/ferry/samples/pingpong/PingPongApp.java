package dev.ferry.samples.pingpong;

import dev.ferry.MessageBus;
import dev.ferry.samples.pingpong.Messages.Ping;
import dev.ferry.samples.pingpong.Messages.Pong;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tutorial: a Pinger service sends a Ping every interval, a Ponger service answers each with a
 * Pong. Both run in this process on the transport that configuration names ({@code
 * ferry.transport}, the in-memory one by default).
 *
 * <p>Arguments: {@code --count=N} stops after N pongs (0 runs until Ctrl-C), {@code --interval=1s}
 * sets the ping interval.
 */
public final class PingPongApp {
  private PingPongApp() {}

  /** The outcome of a run. */
  record Result(long pings, long pongs, long failures, Duration slowestRoundTrip) {}

  public static void main(String[] args) throws Exception {
    long count = 0;
    Duration interval = Duration.ofSeconds(1);
    for (String arg : args) {
      if (arg.startsWith("--count=")) {
        count = Long.parseLong(arg.substring("--count=".length()));
      } else if (arg.startsWith("--interval=")) {
        interval =
            dev.ferry.config.ConfigKey.Type.DURATION
                .parser()
                .apply(arg.substring("--interval=".length()));
      } else {
        System.err.println("Unknown argument " + arg + "; use --count=N --interval=1s");
        System.exit(2);
      }
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.countDown(); // Ctrl-C: finish cleanly
                  try {
                    stopped.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    Result r = run(count, interval, stop);
    System.out.printf(
        "%nDone: %d ping(s) sent, %d pong(s) received, %d failure(s); slowest round"
            + " trip %d ms%n",
        r.pings(), r.pongs(), r.failures(), r.slowestRoundTrip().toMillis());
    stopped.countDown();
  }

  /** Runs until {@code count} pongs arrived ({@code 0}: forever) or {@code stop} opens. */
  static Result run(long count, Duration interval, CountDownLatch stop)
      throws InterruptedException {
    LongAdder pongs = new LongAdder();
    LongAdder failures = new LongAdder();
    AtomicLong slowest = new AtomicLong();
    CountDownLatch enough = new CountDownLatch(1);
    // tag::pingpong[]
    try (MessageBus ponger =
            MessageBus.builder().serviceName("ponger").handlers(new Ponger()).build();
        MessageBus pinger =
            MessageBus.builder().serviceName("pinger").messageTypes(Ping.class).build()) {
      // end::pingpong[]
      System.out.println(ponger.describeRouting());
      ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
      AtomicLong next = new AtomicLong();
      clock.scheduleAtFixedRate(
          () -> {
            long n = next.incrementAndGet();
            if (count > 0 && n > count) {
              return;
            }
            pinger
                .request(new Ping(n, Instant.now()), Pong.class, Duration.ofSeconds(10))
                .whenComplete(
                    (pong, error) -> {
                      if (error != null) {
                        failures.increment();
                        System.out.println("ping " + n + " failed: " + error);
                      } else {
                        long ms = Duration.between(pong.pingSentAt(), Instant.now()).toMillis();
                        slowest.accumulateAndGet(ms, Math::max);
                        pongs.increment();
                        System.out.printf("pong %d after %d ms%n", pong.number(), ms);
                      }
                      if (count > 0 && pongs.sum() + failures.sum() >= count) {
                        enough.countDown();
                      }
                    });
          },
          0,
          interval.toMillis(),
          TimeUnit.MILLISECONDS);
      while (stop.getCount() > 0 && enough.getCount() > 0) {
        enough.await(100, TimeUnit.MILLISECONDS);
      }
      clock.shutdownNow();
      clock.awaitTermination(5, TimeUnit.SECONDS);
      return new Result(
          Math.min(next.get(), count > 0 ? count : Long.MAX_VALUE),
          pongs.sum(),
          failures.sum(),
          Duration.ofMillis(slowest.get()));
    }
  }
}
