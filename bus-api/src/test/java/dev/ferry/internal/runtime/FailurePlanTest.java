package dev.ferry.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorPolicy;
import dev.ferry.ErrorPolicy.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a delivery continues its error policy, from the broker's delivery count. */
class FailurePlanTest {
  private final ErrorPolicy policy =
      ErrorPolicy.on(IllegalStateException.class).retry(3).thenRequeue(2).thenDeadLetter();

  /** The steps a message that always fails goes through, one list per delivery. */
  private List<List<Action>> deliveries(FailurePlan plan) {
    List<List<Action>> all = new ArrayList<>();
    for (int delivery = 1; delivery <= 20; delivery++) {
      List<Action> steps = new ArrayList<>();
      int index = plan.firstIndex(policy, 0, delivery);
      while (true) {
        Action a = plan.adapt(FailurePlan.stepAt(policy, index++)).action();
        steps.add(a);
        if (a != Action.RETRY && a != Action.RETRY_AFTER) {
          break;
        }
      }
      all.add(steps);
      if (steps.get(steps.size() - 1) == Action.DEAD_LETTER) {
        return all;
      }
    }
    throw new AssertionError("never dead-lettered: " + all);
  }

  @Test
  void inProcessRetriesRunInOneDeliveryThenEachRequeueIsADelivery() {
    FailurePlan plan = new FailurePlan(List.of(policy), policy, FailurePlan.Redelivery.IN_PROCESS);
    assertThat(deliveries(plan))
        .containsExactly(
            List.of(Action.RETRY, Action.RETRY, Action.RETRY, Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.DEAD_LETTER));
  }

  @Test
  void withRedeliveryByTheTransportEveryStepIsADeliveryAndNoneIsSkipped() {
    FailurePlan plan = new FailurePlan(List.of(policy), policy, FailurePlan.Redelivery.TRANSPORT);
    assertThat(deliveries(plan))
        .containsExactly(
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.REQUEUE),
            List.of(Action.DEAD_LETTER));
  }
}
