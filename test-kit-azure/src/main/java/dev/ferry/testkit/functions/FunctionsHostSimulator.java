package dev.ferry.testkit.functions;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives an app's Service Bus triggered functions as the Functions host does, with the real SDK
 * against a broker: one processor per function (a receiver loop for {@code cardinality = MANY}), a
 * new instance of the function's class per invocation, the payload and {@code @BindingName}
 * metadata bound as the host binds them ({@link TriggerMetadata}), and settlement by the host's
 * rule: complete when the invocation returns, abandon when it throws. So Service Bus, not the
 * function, decides redelivery and moves a message to its dead-letter queue after MaxDeliveryCount.
 */
public final class FunctionsHostSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FunctionsHostSimulator.class);

  /** One invocation and how the host settled it. */
  public record Invocation(
      String function, List<String> messageIds, int deliveryCount, Throwable failure) {
    public boolean completed() {
      return failure == null;
    }
  }

  private final String connectionString;
  private final int maxConcurrentCalls;
  private final int maxBatch;
  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> running = new ArrayList<>();
  private volatile boolean closed;

  private FunctionsHostSimulator(String connectionString, int maxConcurrentCalls, int maxBatch) {
    this.connectionString = connectionString;
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.maxBatch = maxBatch;
  }

  /**
   * Starts the Service Bus triggered functions of {@code functionClasses}.
   *
   * @param maxConcurrentCalls host.json's {@code maxConcurrentCalls}
   * @param maxBatch host.json's {@code maxMessageBatchSize}, for batch triggers
   */
  public static FunctionsHostSimulator start(
      String connectionString, int maxConcurrentCalls, int maxBatch, Class<?>... functionClasses) {
    FunctionsHostSimulator host =
        new FunctionsHostSimulator(connectionString, maxConcurrentCalls, maxBatch);
    try {
      for (Class<?> c : functionClasses) {
        for (Method m : c.getMethods()) {
          if (m.isAnnotationPresent(FunctionName.class) && triggerOf(m) != null) {
            host.startFunction(c, m);
          }
        }
      }
    } catch (RuntimeException e) {
      host.close();
      throw e;
    }
    return host;
  }

  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /** Invocations of one function. */
  public List<Invocation> invocations(String functionName) {
    return invocations.stream().filter(i -> i.function().equals(functionName)).toList();
  }

  private void startFunction(Class<?> type, Method method) {
    Trigger t = triggerOf(method);
    String name = method.getAnnotation(FunctionName.class).value();
    ServiceBusClientBuilder clients =
        new ServiceBusClientBuilder().connectionString(connectionString);
    if (t.cardinality() == Cardinality.MANY) {
      var receiver = clients.receiver();
      if (t.queue() != null) {
        receiver.queueName(t.queue());
      } else {
        receiver.topicName(t.topic()).subscriptionName(t.subscription());
      }
      ServiceBusReceiverClient client = receiver.buildClient();
      Thread loop =
          new Thread(() -> receiveBatches(type, method, name, client), "host-" + name + "-batches");
      loop.setDaemon(true);
      loop.start();
      running.add(
          () -> {
            closed = true;
            loop.join(5_000);
            client.close();
          });
      return;
    }
    var processor = clients.processor();
    if (t.queue() != null) {
      processor.queueName(t.queue());
    } else {
      processor.topicName(t.topic()).subscriptionName(t.subscription());
    }
    ServiceBusProcessorClient client =
        processor
            .disableAutoComplete()
            .maxConcurrentCalls(maxConcurrentCalls)
            .processMessage(context -> invokeOne(type, method, name, context))
            .processError(error -> log.warn("Host receive error", error.getException()))
            .buildProcessorClient();
    client.start();
    running.add(client::close);
  }

  private void invokeOne(
      Class<?> type, Method method, String name, ServiceBusReceivedMessageContext context) {
    ServiceBusReceivedMessage m = context.getMessage();
    Object payload;
    Throwable failure;
    try {
      payload = payload(method, List.of(m), false);
      failure = invoke(type, method, name, TriggerMetadata.of(m), payload);
    } catch (RuntimeException e) {
      // The host cannot bind the payload (an AMQP sequence body, say): the invocation fails.
      failure = e;
    }
    invocations.add(
        new Invocation(name, List.of(m.getMessageId()), (int) m.getDeliveryCount() + 1, failure));
    if (failure == null) {
      context.complete();
    } else {
      context.abandon();
    }
  }

  private void receiveBatches(
      Class<?> type, Method method, String name, ServiceBusReceiverClient client) {
    while (!closed) {
      List<ServiceBusReceivedMessage> batch = new ArrayList<>();
      try {
        client.receiveMessages(maxBatch, Duration.ofMillis(200)).forEach(batch::add);
      } catch (RuntimeException e) {
        if (!closed) {
          log.debug("Host batch receive failed: {}", e.toString());
        }
        continue;
      }
      if (batch.isEmpty()) {
        continue;
      }
      Throwable failure =
          invoke(type, method, name, TriggerMetadata.ofBatch(batch), payload(method, batch, true));
      invocations.add(
          new Invocation(
              name,
              batch.stream().map(ServiceBusReceivedMessage::getMessageId).toList(),
              (int) batch.get(0).getDeliveryCount() + 1,
              failure));
      for (ServiceBusReceivedMessage m : batch) {
        if (failure == null) {
          client.complete(m);
        } else {
          client.abandon(m);
        }
      }
    }
  }

  private static Object payload(
      Method method, List<ServiceBusReceivedMessage> messages, boolean many) {
    Class<?> type = method.getParameterTypes()[triggerIndex(method)];
    if (!many) {
      byte[] body = messages.get(0).getBody().toBytes();
      return type == String.class ? new String(body, StandardCharsets.UTF_8) : body;
    }
    if (type == String[].class) {
      return messages.stream()
          .map(m -> new String(m.getBody().toBytes(), StandardCharsets.UTF_8))
          .toArray(String[]::new);
    }
    return messages.stream().map(m -> m.getBody().toBytes()).toArray(byte[][]::new);
  }

  /** Binds the arguments and calls the function on a new instance; returns what it threw. */
  private static Throwable invoke(
      Class<?> type, Method method, String name, Map<String, Object> metadata, Object payload) {
    Parameter[] params = method.getParameters();
    Object[] args = new Object[params.length];
    int trigger = triggerIndex(method);
    for (int i = 0; i < params.length; i++) {
      Parameter p = params[i];
      if (i == trigger) {
        args[i] = payload;
      } else if (p.isAnnotationPresent(BindingName.class)) {
        args[i] =
            TriggerMetadata.convert(
                metadata.get(p.getAnnotation(BindingName.class).value()), p.getType());
      } else if (p.getType() == ExecutionContext.class) {
        args[i] = new InvocationContext(name);
      }
    }
    try {
      method.invoke(type.getDeclaredConstructor().newInstance(), args);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (ReflectiveOperationException | RuntimeException e) {
      // The host could not bind or call the function: the invocation fails.
      log.error("Cannot invoke function {}", name, e);
      return e;
    }
  }

  private record Trigger(
      String queue, String topic, String subscription, Cardinality cardinality) {}

  private static Trigger triggerOf(Method m) {
    for (Parameter p : m.getParameters()) {
      ServiceBusQueueTrigger q = p.getAnnotation(ServiceBusQueueTrigger.class);
      if (q != null) {
        return new Trigger(q.queueName(), null, null, q.cardinality());
      }
      ServiceBusTopicTrigger t = p.getAnnotation(ServiceBusTopicTrigger.class);
      if (t != null) {
        return new Trigger(null, t.topicName(), t.subscriptionName(), t.cardinality());
      }
    }
    return null;
  }

  private static int triggerIndex(Method m) {
    Parameter[] params = m.getParameters();
    for (int i = 0; i < params.length; i++) {
      if (params[i].isAnnotationPresent(ServiceBusQueueTrigger.class)
          || params[i].isAnnotationPresent(ServiceBusTopicTrigger.class)) {
        return i;
      }
    }
    throw new IllegalArgumentException(m + " has no Service Bus trigger");
  }

  @Override
  public void close() {
    closed = true;
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("Closing a host receiver failed: {}", e.toString());
      }
    }
    running.clear();
  }
}
