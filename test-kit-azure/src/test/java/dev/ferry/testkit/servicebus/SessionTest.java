package dev.ferry.testkit.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.ServiceBusSessionReceiverClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Session receivers: session-filter, session locks, ordering, state. */
class SessionTest {

  // tryTimeout 2 s: the link's com.microsoft:timeout is 1 s, how long accept-next may wait.
  @RegisterExtension
  static final RunningDouble serviceBus =
      new RunningDouble(SessionTest::entities, Duration.ofSeconds(2));

  private static ServiceBusTestDouble.Builder entities() {
    EntitySettings sessions = EntitySettings.defaults().withRequiresSession(true);
    return ServiceBusTestDouble.builder()
        .queue("ordered", sessions)
        .queue("next", sessions)
        .queue("exclusive", sessions)
        .queue("state", sessions)
        .queue("renewed", sessions.withLockDuration(Duration.ofSeconds(2)))
        .queue("expiring", sessions.withLockDuration(Duration.ofSeconds(1)))
        .queue("processed", sessions);
  }

  @Test
  void aSessionReceiverGetsOnlyItsSessionInOrder() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("ordered").buildClient();
        ServiceBusSessionReceiverClient sessions =
            serviceBus.client().sessionReceiver().queueName("ordered").buildClient()) {
      send(sender, "a", "a1");
      send(sender, "b", "b1");
      send(sender, "a", "a2");
      send(sender, "a", "a3");
      try (ServiceBusReceiverClient a = sessions.acceptSession("a")) {
        assertThat(a.getSessionId()).isEqualTo("a");
        List<ServiceBusReceivedMessage> received =
            a.receiveMessages(3, Sdk.RECEIVE_WAIT).stream().toList();
        assertThat(received)
            .extracting(m -> m.getBody().toString())
            .containsExactly("a1", "a2", "a3");
        assertThat(received).allSatisfy(m -> assertThat(m.getSessionId()).isEqualTo("a"));
        received.forEach(a::complete);
      }
    }
    assertThat(serviceBus.bus().entity("ordered").messages())
        .extracting(MessageSnapshot::bodyAsString)
        .containsExactly("b1");
  }

  /** Wire fact: a null session-filter asks for the next free session; none free means timeout. */
  @Test
  void acceptNextSessionPicksFreeSessionsAndTimesOutWhenNoneIsLeft() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("next").buildClient();
        ServiceBusSessionReceiverClient sessions =
            serviceBus.client().sessionReceiver().queueName("next").buildClient()) {
      send(sender, "x", "x1");
      send(sender, "y", "y1");
      try (ServiceBusReceiverClient first = sessions.acceptNextSession();
          ServiceBusReceiverClient second = sessions.acceptNextSession()) {
        assertThat(Set.of(first.getSessionId(), second.getSessionId()))
            .containsExactlyInAnyOrder("x", "y");
        assertThatThrownBy(sessions::acceptNextSession)
            .hasStackTraceContaining("com.microsoft:timeout");
        first.complete(PeekLockTest.receiveOne(first));
      }
    }
  }

  @Test
  void aSessionIsLockedByOneReceiverAtATime() {
    // Separate connections: one client reuses its own link for the same session id.
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("exclusive").buildClient();
        ServiceBusSessionReceiverClient first =
            serviceBus.client().sessionReceiver().queueName("exclusive").buildClient();
        ServiceBusSessionReceiverClient second =
            Sdk.client(serviceBus.bus()).sessionReceiver().queueName("exclusive").buildClient()) {
      send(sender, "s", "s1");
      ServiceBusReceiverClient holder = first.acceptSession("s");
      assertThatThrownBy(() -> second.acceptSession("s"))
          .satisfies(
              e ->
                  assertThat(Sdk.condition(e))
                      .isEqualTo(AmqpErrorCondition.SESSION_CANNOT_BE_LOCKED));
      holder.close();
      try (ServiceBusReceiverClient next = second.acceptSession("s")) {
        next.complete(PeekLockTest.receiveOne(next));
      }
    }
    assertThat(serviceBus.bus().entity("exclusive").messages()).isEmpty();
  }

  @Test
  void sessionStateIsKeptPerSessionAndSessionIdIsRequiredToSend() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("state").buildClient();
        ServiceBusSessionReceiverClient sessions =
            serviceBus.client().sessionReceiver().queueName("state").buildClient()) {
      assertThatThrownBy(() -> sender.sendMessage(Sdk.message("no-session", "x")))
          .hasStackTraceContaining("SessionId was not set");
      try (ServiceBusReceiverClient session = sessions.acceptSession("cart-1")) {
        assertThat(session.getSessionState()).isNull();
        session.setSessionState("step-2".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(session.getSessionState(), StandardCharsets.UTF_8))
            .isEqualTo("step-2");
      }
    }
    assertThat(serviceBus.bus().operations("set-session-state")).hasSize(1);
  }

  /**
   * Wire fact: com.microsoft:locked-until-utc on the attach (a long of .NET ticks) is when the SDK
   * schedules its first renew-session-lock: about half-way through the lock, not at once.
   */
  @Test
  void theSessionLockIsRenewedFromTheLockedUntilOnTheAttach() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("renewed").buildClient();
        ServiceBusSessionReceiverClient sessions =
            serviceBus.client().sessionReceiver().queueName("renewed").buildClient()) {
      send(sender, "r", "r1");
      try (ServiceBusReceiverClient session = sessions.acceptSession("r")) {
        ServiceBusReceivedMessage message = PeekLockTest.receiveOne(session);
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
        assertThat(serviceBus.bus().operations("renew-session-lock")).isEmpty();
        await()
            .atMost(Duration.ofSeconds(4))
            .until(() -> serviceBus.bus().operations("renew-session-lock").size() >= 2);
        session.complete(message); // past the first 2 s lock: still held
      }
    }
    assertThat(serviceBus.bus().entity("renewed").messages()).isEmpty();
    assertThat(serviceBus.bus().operations("session-lock-lost")).isEmpty();
  }

  @Test
  void aLostSessionLockReleasesItsMessagesAndSettlingFails() {
    try (ServiceBusSenderClient sender =
            serviceBus.client().sender().queueName("expiring").buildClient();
        ServiceBusSessionReceiverClient sessions =
            serviceBus
                .client()
                .sessionReceiver()
                .queueName("expiring")
                .maxAutoLockRenewDuration(Duration.ZERO)
                .buildClient()) {
      send(sender, "e", "e1");
      try (ServiceBusReceiverClient session = sessions.acceptSession("e")) {
        ServiceBusReceivedMessage message = PeekLockTest.receiveOne(session);
        await()
            .atMost(Duration.ofSeconds(4))
            .until(() -> !serviceBus.bus().operations("session-lock-lost").isEmpty());
        // The SDK names the reason from the link's detach error when it has seen it; when the
        // settlement races the detach (a loaded machine), it reports a general error instead.
        assertThatThrownBy(() -> session.complete(message))
            .satisfies(
                e ->
                    assertThat(Sdk.reason(e))
                        .isIn(
                            ServiceBusFailureReason.SESSION_LOCK_LOST,
                            ServiceBusFailureReason.GENERAL_ERROR));
      }
      assertThat(serviceBus.bus().entity("expiring").messages())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.state()).isEqualTo(MessageState.AVAILABLE);
                assertThat(m.deliveryCount()).isEqualTo(1);
              });
    }
  }

  @Test
  void aSessionProcessorHandlesEachSessionInOrder() {
    Map<String, List<String>> handled = new ConcurrentHashMap<>();
    ServiceBusProcessorClient processor =
        serviceBus
            .client()
            .sessionProcessor()
            .queueName("processed")
            .maxConcurrentSessions(2)
            .processMessage(
                context ->
                    handled
                        .computeIfAbsent(
                            context.getMessage().getSessionId(), id -> new CopyOnWriteArrayList<>())
                        .add(context.getMessage().getBody().toString()))
            .processError(context -> {})
            .buildProcessorClient();
    try (ServiceBusSenderClient sender =
        serviceBus.client().sender().queueName("processed").buildClient()) {
      for (int i = 1; i <= 3; i++) {
        send(sender, "p", "p" + i);
        send(sender, "q", "q" + i);
      }
      processor.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> serviceBus.bus().entity("processed").messages().isEmpty());
    } finally {
      processor.close();
    }
    assertThat(handled)
        .containsEntry("p", List.of("p1", "p2", "p3"))
        .containsEntry("q", List.of("q1", "q2", "q3"));
  }

  static void send(ServiceBusSenderClient sender, String sessionId, String body) {
    sender.sendMessage(Sdk.message(body, body).setSessionId(sessionId));
  }
}
