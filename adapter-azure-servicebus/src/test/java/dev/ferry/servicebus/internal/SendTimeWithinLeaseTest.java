package dev.ferry.servicebus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.amqp.AmqpRetryOptions;
import dev.ferry.config.FerryConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A send with all the SDK's retries ends within the outbox lease, so that the rows being sent are
 * never taken over and sent again by another node meanwhile. (With the defaults, 4 tries of 30 s
 * each and the waits between them took over two minutes against a 30 s lease.)
 */
class SendTimeWithinLeaseTest {

  @Test
  void withTheDefaultsASendEndsWellWithinTheLease() {
    AmqpRetryOptions retry = ServiceBusClients.retryOptions(FerryConfig.of(Map.of()));
    assertThat(ServiceBusClients.worstCaseSendTime(retry))
        .isLessThanOrEqualTo(Duration.ofSeconds(20));
    assertThat(retry.getMaxRetries()).isEqualTo(3);
  }

  @Test
  void aLongerLeaseKeepsTheConfiguredTryTimeoutWhereItFits() {
    AmqpRetryOptions retry =
        ServiceBusClients.retryOptions(
            FerryConfig.of(
                Map.of("ferry.outbox.lease", "10m", "ferry.servicebus.retry.try-timeout", "30s")));
    assertThat(retry.getTryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(ServiceBusClients.worstCaseSendTime(retry)).isLessThan(Duration.ofMinutes(10));
  }

  @Test
  void aLeaseTooShortForTheRetriesKeepsOneSecondPerTry() {
    AmqpRetryOptions retry =
        ServiceBusClients.retryOptions(FerryConfig.of(Map.of("ferry.outbox.lease", "1s")));
    assertThat(retry.getTryTimeout()).isEqualTo(Duration.ofSeconds(1));
  }
}
