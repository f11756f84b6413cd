package dev.ferry.samples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PingPongAppTest {

  @Test
  void everyPingGetsItsPong() throws Exception {
    PingPongApp.Result r = PingPongApp.run(5, Duration.ofMillis(50), new CountDownLatch(1));
    assertThat(r.pongs()).isEqualTo(5);
    assertThat(r.failures()).isZero();
    assertThat(r.pings()).isEqualTo(5);
  }

  @Test
  void stopsCleanlyWhenAskedToBeforeTheCount() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stop.countDown();
            });
    stopper.start();
    PingPongApp.Result r = PingPongApp.run(0, Duration.ofMillis(50), stop);
    assertThat(r.pongs()).isGreaterThan(0);
    assertThat(r.failures()).isZero();
  }
}
