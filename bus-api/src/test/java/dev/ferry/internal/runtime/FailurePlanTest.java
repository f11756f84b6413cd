package dev.ferry.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.Address;
import dev.ferry.Envelope;
import dev.ferry.ErrorPolicy;
import dev.ferry.ErrorPolicy.Action;
import dev.ferry.Redelivery;
import dev.ferry.spi.Delivery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where a delivery continues its error policy: the step for a failure is the one at the index of
 * the failed attempts before it, counted as {@link Delivery#priorAttempts()} says.
 */
class FailurePlanTest {
  private final ErrorPolicy policy =
      ErrorPolicy.on(IllegalStateException.class).retry(3).thenRequeue(2).thenDeadLetter();
  private static final Address QUEUE = Address.parse("local:queue:q");

  /**
   * The steps a message that always fails goes through, one list per delivery. With {@code
   * carries}, a requeue writes the failed attempts into the message and the delivery count starts
   * afresh (JMS, local, Service Bus listener); otherwise only the delivery count grows (the
   * Functions host).
   */
  private List<List<Action>> deliveries(FailurePlan plan, boolean carries) {
    List<List<Action>> all = new ArrayList<>();
    int carried = 0;
    int count = 1;
    for (int n = 1; n <= 20; n++) {
      Delivery d = new Delivery(Envelope.builder().id("m").attempts(carried).build(), QUEUE, count);
      int failed = d.priorAttempts();
      List<Action> steps = new ArrayList<>();
      while (true) {
        Action a = plan.stepFor(policy, failed++).action();
        steps.add(a);
        if (a != Action.RETRY && a != Action.RETRY_AFTER) {
          break;
        }
      }
      all.add(steps);
      if (steps.get(steps.size() - 1) == Action.DEAD_LETTER) {
        return all;
      }
      if (carries) {
        carried = failed;
        count = 1;
      } else {
        count++;
      }
    }
    throw new AssertionError("never dead-lettered: " + all);
  }

  @Test
  void inProcessRetriesRunInOneDeliveryThenEachRequeueIsADelivery() {
    FailurePlan plan = new FailurePlan(List.of(policy), policy, Redelivery.IN_PROCESS);
    assertThat(deliveries(plan, true))
        .containsExactly(
            List.of(Action.RETRY, Action.RETRY, Action.RETRY, Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.DEAD_LETTER));
  }

  @Test
  void withRedeliveryByTheTransportEveryStepIsADeliveryAndNoneIsSkipped() {
    FailurePlan plan = new FailurePlan(List.of(policy), policy, Redelivery.TRANSPORT);
    List<List<Action>> expected =
        List.of(
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.DEAD_LETTER));
    assertThat(deliveries(plan, false)).isEqualTo(expected);
    assertThat(deliveries(plan, true)).isEqualTo(expected);
  }
}
