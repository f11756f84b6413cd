package dev.ferry.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.ListenerOptions;
import dev.ferry.MessageBus;
import dev.ferry.spi.support.LoopSupervisor;
import dev.ferry.testkit.ArtemisExtension;
import dev.ferry.testkit.EmbeddedArtemis;
import dev.ferry.testkit.conformance.TestMessages.Work;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JMS consumer loop survives what its provider throws besides JMSException: a RuntimeException
 * and then an Error from {@code receive} restart the round (logged, counted) and every message is
 * still handled once.
 */
class JmsSupervisedLoopTest {
  private EmbeddedArtemis broker;
  private MessageBus consumer;
  private MessageBus producer;

  @AfterEach
  void close() throws Exception {
    if (consumer != null) {
      consumer.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** Wraps {@code target} so that {@code receive} of consumers goes through {@code faults}. */
  @SuppressWarnings("unchecked")
  private static <T> T faulty(Class<T> type, Object target, AtomicInteger receives) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, m, args) -> {
              if (type == MessageConsumer.class && m.getName().equals("receive")) {
                int n = receives.incrementAndGet();
                if (n == 5) {
                  throw new IllegalStateException("injected RuntimeException");
                }
                if (n == 10) {
                  throw new NoClassDefFoundError("injected Error");
                }
              }
              Object result;
              try {
                result = m.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (result instanceof Connection c && m.getReturnType() == Connection.class) {
                return faulty(Connection.class, c, receives);
              }
              if (result instanceof Session s && m.getReturnType() == Session.class) {
                return faulty(Session.class, s, receives);
              }
              if (result instanceof MessageConsumer c
                  && m.getReturnType() == MessageConsumer.class) {
                return faulty(MessageConsumer.class, c, receives);
              }
              return result;
            });
  }

  @Test
  void aRuntimeExceptionAndAnErrorFromReceiveDoNotEndTheListener() throws Exception {
    broker = ArtemisExtension.start("supervised");
    AtomicInteger receives = new AtomicInteger();
    ConnectionFactory cf =
        faulty(ConnectionFactory.class, new ActiveMQConnectionFactory(broker.tcpUrl()), receives);
    WorkTally tally = new WorkTally();
    long restartsBefore = LoopSupervisor.totalRestarts();
    consumer =
        MessageBus.builder()
            .serviceName("worker")
            .transport(JmsTransport.builder().connectionFactory(cf).build())
            .listeners(ListenerOptions.defaults().concurrency(1))
            .route(Work.class, "queue:supervised.work")
            .handle(Work.class, tally.handler())
            .build();
    producer =
        MessageBus.builder()
            .serviceName("client")
            .transport(JmsTransport.builder().url(broker.tcpUrl()).build())
            .route(Work.class, "queue:supervised.work")
            .build();
    for (int i = 0; i < 50; i++) {
      producer.send(new Work(i));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> tally.handled.size() == 50);
    assertThat(receives.get()).isGreaterThan(10);
    assertThat(tally.duplicates).hasValue(0);
    assertThat(LoopSupervisor.totalRestarts() - restartsBefore).isGreaterThanOrEqualTo(2);
  }
}
