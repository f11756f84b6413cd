package dev.ferry.functions;

import dev.ferry.servicebus.ReceivedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The messages of a batch trigger ({@code cardinality = MANY}): the payload array and the host's
 * {@code ...Array} metadata ({@code @BindingName("MessageIdArray")}, ...), element i of each
 * belonging to message i. {@code DeliveryCountArray} is required.
 */
public final class TriggerBatch {
  private final byte[][] bodies;
  private String[] messageIds;
  private int[] deliveryCounts;
  private long[] sequenceNumbers;
  private String[] subjects;
  private String[] contentTypes;
  private String[] correlationIds;
  private String[] replyTos;
  private String[] sessionIds;
  private Map<String, Object>[] applicationProperties;
  private String[] enqueuedTimesUtc;

  TriggerBatch(byte[][] bodies) {
    this.bodies = bodies == null ? new byte[0][] : bodies;
  }

  TriggerBatch(String[] bodies) {
    this(
        bodies == null
            ? null
            : Arrays.stream(bodies)
                .map(b -> b == null ? null : b.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new));
  }

  public TriggerBatch messageIds(String[] values) {
    messageIds = values;
    return this;
  }

  public TriggerBatch deliveryCounts(int[] values) {
    deliveryCounts = values;
    return this;
  }

  public TriggerBatch sequenceNumbers(long[] values) {
    sequenceNumbers = values;
    return this;
  }

  public TriggerBatch subjects(String[] values) {
    subjects = values;
    return this;
  }

  public TriggerBatch contentTypes(String[] values) {
    contentTypes = values;
    return this;
  }

  public TriggerBatch correlationIds(String[] values) {
    correlationIds = values;
    return this;
  }

  public TriggerBatch replyTos(String[] values) {
    replyTos = values;
    return this;
  }

  public TriggerBatch sessionIds(String[] values) {
    sessionIds = values;
    return this;
  }

  public TriggerBatch applicationProperties(Map<String, Object>[] values) {
    applicationProperties = values;
    return this;
  }

  public TriggerBatch enqueuedTimesUtc(String[] values) {
    enqueuedTimesUtc = values;
    return this;
  }

  List<ReceivedMessage> received() {
    if (deliveryCounts == null || deliveryCounts.length != bodies.length) {
      throw new IllegalArgumentException(
          "A batch needs @BindingName(\"DeliveryCountArray\") int[] with one count per message ("
              + bodies.length
              + "): without it every delivery looks like the first and retries never end");
    }
    List<ReceivedMessage> result = new ArrayList<>(bodies.length);
    for (int i = 0; i < bodies.length; i++) {
      TriggerMessage m =
          new TriggerMessage(bodies[i])
              .messageId(at(messageIds, i))
              .deliveryCount(deliveryCounts[i])
              .subject(at(subjects, i))
              .contentType(at(contentTypes, i))
              .correlationId(at(correlationIds, i))
              .replyTo(at(replyTos, i))
              .sessionId(at(sessionIds, i))
              .applicationProperties(at(applicationProperties, i))
              .enqueuedTimeUtc(at(enqueuedTimesUtc, i));
      if (sequenceNumbers != null && i < sequenceNumbers.length) {
        m.sequenceNumber(sequenceNumbers[i]);
      }
      result.add(m.received());
    }
    return result;
  }

  private static <T> T at(T[] values, int i) {
    return values == null || i >= values.length ? null : values[i];
  }
}
