package dev.ferry.functions.app;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.Cardinality;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.ServiceBusQueueTrigger;
import dev.ferry.functions.FerryFunctions;
import dev.ferry.functions.ServiceBusTrigger;
import java.util.Map;

/** The shipping function as a batch trigger. */
public class BatchParcelFunctions {

  // tag::batch-function[]
  @FunctionName("shipBatch")
  public void shipBatch(
      @ServiceBusQueueTrigger(
              name = "messages",
              queueName = "parcels",
              connection = "ServiceBusConnection",
              dataType = "binary",
              cardinality = Cardinality.MANY)
          byte[][] bodies,
      @BindingName("MessageIdArray") String[] messageIds,
      @BindingName("DeliveryCountArray") int[] deliveryCounts,
      @BindingName("SequenceNumberArray") long[] sequenceNumbers,
      @BindingName("SubjectArray") String[] subjects,
      @BindingName("ContentTypeArray") String[] contentTypes,
      @BindingName("CorrelationIdArray") String[] correlationIds,
      @BindingName("ApplicationPropertiesArray") Map<String, Object>[] properties,
      @BindingName("EnqueuedTimeUtcArray") String[] enqueuedTimesUtc,
      ExecutionContext context) {
    FerryFunctions.queue("parcels")
        .handleBatch(
            ServiceBusTrigger.batch(bodies)
                .messageIds(messageIds)
                .deliveryCounts(deliveryCounts)
                .sequenceNumbers(sequenceNumbers)
                .subjects(subjects)
                .contentTypes(contentTypes)
                .correlationIds(correlationIds)
                .applicationProperties(properties)
                .enqueuedTimesUtc(enqueuedTimesUtc),
            context);
  }
  // end::batch-function[]
}
