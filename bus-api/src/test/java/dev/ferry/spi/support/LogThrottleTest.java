package dev.ferry.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
  @Test
  void theFirstOccurrenceIsLoggedThenTheRestAreCountedUntilTheIntervalPassed()
      throws InterruptedException {
    LogThrottle throttle = new LogThrottle(Duration.ofMillis(200));
    assertThat(throttle.next()).isZero();
    assertThat(throttle.next()).isEqualTo(LogThrottle.QUIET);
    assertThat(throttle.next()).isEqualTo(LogThrottle.QUIET);
    Thread.sleep(250);
    assertThat(throttle.next()).as("full again, with the two in between").isEqualTo(2);
    assertThat(throttle.next()).isEqualTo(LogThrottle.QUIET);
  }
}
