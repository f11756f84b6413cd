package dev.ferry.benchmarks;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusMessageBatch;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import dev.ferry.servicebus.ServiceBusTransport;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import jakarta.jms.JMSException;
import java.nio.ByteBuffer;

/**
 * The Service Bus runs, against the test double in this process (absolute figures against a double
 * mean little; the ratio is the point): the raw SDK sender in batches of 100 and a processor with 4
 * concurrent calls, versus Ferry over the same SDK.
 */
final class ServiceBusScenarios {
  private ServiceBusScenarios() {}

  static ServiceBusTestDouble startDouble() {
    return ServiceBusTestDouble.builder().autoCreateEntities(true).start();
  }

  static Scenario ferry(ServiceBusTestDouble sb) {
    Scenario s =
        new FerryScenario(
            "Ferry Service Bus, non-durable",
            () -> ServiceBusTransport.builder().connectionString(sb.connectionString()).build(),
            null,
            1,
            1);
    return wrap(s, sb);
  }

  static Scenario raw(ServiceBusTestDouble sb) {
    return wrap(new Raw(sb.connectionString()), sb);
  }

  /** Closes the double with the scenario. */
  private static Scenario wrap(Scenario s, ServiceBusTestDouble sb) {
    return new Scenario() {
      @Override
      public String name() {
        return s.name();
      }

      @Override
      public Result run(int messages, int rate) throws Exception {
        return s.run(messages, rate);
      }

      @Override
      public void close() throws JMSException {
        s.close();
        sb.close();
      }
    };
  }

  /** The raw SDK twin. */
  private static final class Raw implements Scenario {
    private final String connectionString;
    private int run;

    Raw(String connectionString) {
      this.connectionString = connectionString;
    }

    @Override
    public String name() {
      return "raw Service Bus SDK, batches of 100";
    }

    @Override
    public Result run(int messages, int rate) throws Exception {
      String queue = "bench.sb.raw." + (++run);
      Latencies latencies = new Latencies(messages);
      ServiceBusProcessorClient processor =
          new ServiceBusClientBuilder()
              .connectionString(connectionString)
              .processor()
              .queueName(queue)
              .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
              .maxConcurrentCalls(4)
              .processMessage(
                  ctx -> {
                    latencies.record(
                        ByteBuffer.wrap(ctx.getMessage().getBody().toBytes()).getLong());
                    ctx.complete();
                  })
              .processError(ctx -> {})
              .buildProcessorClient();
      processor.start();
      try (ServiceBusSenderClient sender =
          new ServiceBusClientBuilder()
              .connectionString(connectionString)
              .sender()
              .queueName(queue)
              .buildClient()) {
        Pacer pacer = new Pacer(rate);
        int batchSize = rate > 0 ? 1 : 100;
        long start = System.nanoTime();
        ServiceBusMessageBatch batch = sender.createMessageBatch();
        for (int i = 0; i < messages; i++) {
          pacer.next();
          byte[] body = ByteBuffer.allocate(512).putLong(System.nanoTime()).array();
          ServiceBusMessage message = new ServiceBusMessage(body);
          if (!batch.tryAddMessage(message)) {
            sender.sendMessages(batch); // full by size: send it, start the next with this one
            batch = sender.createMessageBatch();
            batch.tryAddMessage(message);
          }
          if (batch.getCount() >= batchSize) {
            sender.sendMessages(batch);
            batch = sender.createMessageBatch();
          }
        }
        if (batch.getCount() > 0) {
          sender.sendMessages(batch);
        }
        return latencies.result(name(), rate, start, "");
      } finally {
        processor.close();
      }
    }
  }
}
