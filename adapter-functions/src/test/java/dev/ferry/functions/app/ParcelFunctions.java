package dev.ferry.functions.app;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.functions.ServiceBusTrigger;
import java.util.Map;

/** The thin function class of the test app: every function hands its message to Ferry. */
public class ParcelFunctions {
  /** A trigger finds the worker's bus on each call, so it can be kept in a constant. */
  private static final ServiceBusTrigger SHIP = FerryFunctions.queue("parcels");

  // tag::queue-function[]
  @FunctionName("ship")
  public void ship(
      @ServiceBusQueueTrigger(
              name = "message",
              queueName = "parcels",
              connection = "ServiceBusConnection",
              dataType = "binary")
          byte[] body,
      @BindingName("MessageId") String messageId,
      @BindingName("DeliveryCount") int deliveryCount,
      @BindingName("SequenceNumber") long sequenceNumber,
      @BindingName("Subject") String subject,
      @BindingName("ContentType") String contentType,
      @BindingName("CorrelationId") String correlationId,
      @BindingName("ReplyTo") String replyTo,
      @BindingName("SessionId") String sessionId,
      @BindingName("ApplicationProperties") Map<String, Object> properties,
      @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
      ExecutionContext context) {
    SHIP.handle(
        ServiceBusTrigger.message(body)
            .messageId(messageId)
            .deliveryCount(deliveryCount)
            .sequenceNumber(sequenceNumber)
            .subject(subject)
            .contentType(contentType)
            .correlationId(correlationId)
            .replyTo(replyTo)
            .sessionId(sessionId)
            .applicationProperties(properties)
            .enqueuedTimeUtc(enqueuedTimeUtc),
        context);
  }

  // end::queue-function[]

  // tag::topic-function[]
  @FunctionName("track")
  public void track(
      @ServiceBusTopicTrigger(
              name = "message",
              topicName = "parcel-shipped",
              subscriptionName = "tracking",
              connection = "ServiceBusConnection")
          String body,
      @BindingName("MessageId") String messageId,
      @BindingName("DeliveryCount") int deliveryCount,
      @BindingName("SequenceNumber") long sequenceNumber,
      @BindingName("Subject") String subject,
      @BindingName("ContentType") String contentType,
      @BindingName("CorrelationId") String correlationId,
      @BindingName("ApplicationProperties") Map<String, Object> properties,
      @BindingName("EnqueuedTimeUtc") String enqueuedTimeUtc,
      ExecutionContext context) {
    FerryFunctions.subscription("parcel-shipped", "tracking")
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

  // end::topic-function[]

  // tag::sweeper[]
  @FunctionName("ferry-sweeper")
  public void sweep(
      @TimerTrigger(name = "timer", schedule = "0 */1 * * * *") String timer,
      ExecutionContext context) {
    FerryFunctions.sweep(context);
  }
  // end::sweeper[]
}
