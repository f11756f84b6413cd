package dev.ferry.samples.orders.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import com.microsoft.azure.functions.annotation.ServiceBusTopicTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.functions.ServiceBusTrigger;
import dev.ferry.functions.TriggerMessage;
import dev.ferry.samples.orders.OrderFlow;
import java.util.Map;

/**
 * The order workflow's functions. Each hands its message to Ferry, which runs the same handler
 * classes as the WAR ({@code BillingHandler}, {@code EmailHandler}, {@code ShippingWorker}) with
 * the same routing, inbox, outbox and error policies. The triggers name the entities the routing
 * conventions give the service {@value OrderFlow#SERVICE}: its subscription of the event's topic,
 * and the command's queue; {@code describeRouting()} lists them.
 */
public class OrderFunctions {
  // A trigger must name its entity; these are the ones the routing conventions give the flow.
  static final String TOPIC = OrderFlow.ORDER_TOPIC;
  static final String SUBSCRIPTION = OrderFlow.SERVICE;
  static final String SHIPPING = "orders.ship-order.v1";

  /** Billing and e-mail: both handlers of {@code OrderPlaced}, on the service's subscription. */
  @FunctionName("order-placed")
  public void orderPlaced(
      @ServiceBusTopicTrigger(
              name = "message",
              topicName = TOPIC,
              subscriptionName = SUBSCRIPTION,
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
    FerryFunctions.subscription(TOPIC, SUBSCRIPTION)
        .handle(
            message(
                body,
                messageId,
                deliveryCount,
                sequenceNumber,
                subject,
                contentType,
                correlationId,
                properties,
                enqueuedTimeUtc),
            context);
  }

  @FunctionName("shipping")
  public void shipping(
      @ServiceBusQueueTrigger(
              name = "message",
              queueName = SHIPPING,
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
    FerryFunctions.queue(SHIPPING)
        .handle(
            message(
                body,
                messageId,
                deliveryCount,
                sequenceNumber,
                subject,
                contentType,
                correlationId,
                properties,
                enqueuedTimeUtc),
            context);
  }

  /** Sends what invocations left in the outbox, and scheduled messages that are due. */
  @FunctionName("ferry-sweeper")
  public void sweep(
      @TimerTrigger(name = "timer", schedule = "0 */1 * * * *") String timer,
      ExecutionContext context) {
    FerryFunctions.sweep(context);
  }

  private static TriggerMessage message(
      byte[] body,
      String messageId,
      int deliveryCount,
      long sequenceNumber,
      String subject,
      String contentType,
      String correlationId,
      Map<String, Object> properties,
      String enqueuedTimeUtc) {
    return ServiceBusTrigger.message(body)
        .messageId(messageId)
        .deliveryCount(deliveryCount)
        .sequenceNumber(sequenceNumber)
        .subject(subject)
        .contentType(contentType)
        .correlationId(correlationId)
        .applicationProperties(properties)
        .enqueuedTimeUtc(enqueuedTimeUtc);
  }
}
