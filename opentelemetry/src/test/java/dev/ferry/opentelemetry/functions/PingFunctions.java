package dev.ferry.opentelemetry.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.functions.ServiceBusTrigger;
import java.util.Map;

/** A Service Bus triggered function that hands its message to Ferry. */
public class PingFunctions {
  static final String QUEUE = "ferry.test.ping.v1";

  @FunctionName("ping")
  public void ping(
      @ServiceBusQueueTrigger(
              name = "message",
              queueName = QUEUE,
              connection = "ServiceBusConnection",
              dataType = "binary")
          byte[] body,
      @BindingName("MessageId") String messageId,
      @BindingName("DeliveryCount") int deliveryCount,
      @BindingName("SequenceNumber") long sequenceNumber,
      @BindingName("Subject") String subject,
      @BindingName("ContentType") String contentType,
      @BindingName("CorrelationId") String correlationId,
      @BindingName("ApplicationProperties") Map<String, Object> properties,
      @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
      ExecutionContext context) {
    FerryFunctions.queue(QUEUE)
        .handle(
            ServiceBusTrigger.message(body)
                .messageId(messageId)
                .deliveryCount(deliveryCount)
                .sequenceNumber(sequenceNumber)
                .subject(subject)
                .contentType(contentType)
                .correlationId(correlationId)
                .applicationProperties(properties)
                .enqueuedTimeUtc(enqueuedTimeUtc),
            context);
  }
}
