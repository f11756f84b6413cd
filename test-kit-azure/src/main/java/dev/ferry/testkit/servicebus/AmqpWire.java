package dev.ferry.testkit.servicebus;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.message.Message;

/**
 * Names and encodings that the Azure Service Bus SDK depends on. Every constant here was read from
 * the SDK sources (azure-messaging-servicebus 7.17.20, azure-core-amqp 2.12.1); changing one breaks
 * the SDK, which is what the wire-fact tests are there to catch.
 */
final class AmqpWire {

  static final Symbol SEQUENCE_NUMBER = Symbol.valueOf("x-opt-sequence-number");
  static final Symbol ENQUEUED_TIME = Symbol.valueOf("x-opt-enqueued-time");
  static final Symbol LOCKED_UNTIL = Symbol.valueOf("x-opt-locked-until");
  static final Symbol SCHEDULED_ENQUEUE_TIME = Symbol.valueOf("x-opt-scheduled-enqueue-time");
  static final Symbol DEAD_LETTER_SOURCE = Symbol.valueOf("x-opt-deadletter-source");
  static final Symbol MESSAGE_STATE = Symbol.valueOf("x-opt-message-state");
  static final Symbol ENQUEUE_SEQUENCE_NUMBER = Symbol.valueOf("x-opt-enqueue-sequence-number");

  static final Symbol SESSION_FILTER = Symbol.valueOf("com.microsoft:session-filter");
  static final Symbol LOCKED_UNTIL_UTC = Symbol.valueOf("com.microsoft:locked-until-utc");
  static final Symbol LINK_TIMEOUT = Symbol.valueOf("com.microsoft:timeout");

  static final Symbol DEAD_LETTER = Symbol.valueOf("com.microsoft:dead-letter");
  static final String DEAD_LETTER_REASON = "DeadLetterReason";
  static final String DEAD_LETTER_DESCRIPTION = "DeadLetterErrorDescription";

  // Error conditions, with the SDK's mapping in the comment.
  /** MESSAGING_ENTITY_NOT_FOUND, non-transient only with the "could not be found" wording. */
  static final Symbol NOT_FOUND = Symbol.valueOf("amqp:not-found");

  /** UnsupportedOperationException in the SDK. */
  static final Symbol NOT_ALLOWED = Symbol.valueOf("amqp:not-allowed");

  static final Symbol NOT_IMPLEMENTED = Symbol.valueOf("amqp:not-implemented");
  static final Symbol MESSAGE_SIZE_EXCEEDED = Symbol.valueOf("amqp:link:message-size-exceeded");
  static final Symbol INTERNAL_ERROR = Symbol.valueOf("amqp:internal-error");
  static final Symbol DECODE_ERROR = Symbol.valueOf("amqp:decode-error");
  static final Symbol ARGUMENT_ERROR = Symbol.valueOf("com.microsoft:argument-error");
  static final Symbol MESSAGE_LOCK_LOST = Symbol.valueOf("com.microsoft:message-lock-lost");
  static final Symbol SESSION_LOCK_LOST = Symbol.valueOf("com.microsoft:session-lock-lost");
  static final Symbol SESSION_CANNOT_BE_LOCKED =
      Symbol.valueOf("com.microsoft:session-cannot-be-locked");
  static final Symbol MESSAGE_NOT_FOUND = Symbol.valueOf("com.microsoft:message-not-found");
  static final Symbol SESSION_NOT_FOUND = Symbol.valueOf("com.microsoft:session-not-found");

  /** The SDK's broker-timeout signal; a session acquirer retries or maps it to TimeoutException. */
  static final Symbol TIMEOUT = Symbol.valueOf("com.microsoft:timeout");

  /** Message format of a ServiceBusMessageBatch transfer: one Data section per inner message. */
  static final int BATCH_MESSAGE_FORMAT = 0x80013700;

  private static final long DOT_NET_EPOCH_TICKS = 621_355_968_000_000_000L;

  private AmqpWire() {}

  static byte[] encode(Message message) {
    int size = 1024;
    while (true) {
      byte[] buffer = new byte[size];
      try {
        int length = message.encode(buffer, 0, size);
        return Arrays.copyOf(buffer, length);
      } catch (BufferOverflowException tooSmall) {
        size *= 2;
      }
    }
  }

  static Message decode(byte[] bytes) {
    Message message = Proton.message();
    message.decode(bytes, 0, bytes.length);
    return message;
  }

  /**
   * Splits a batch transfer into its messages. Proton's {@link Message} keeps only one body
   * section, so the sections are read one by one; the envelope's own sections are dropped, as the
   * service does.
   */
  static List<Message> unpackBatch(byte[] payload) {
    DecoderImpl decoder = new DecoderImpl();
    AMQPDefinedTypes.registerAllTypes(decoder, new EncoderImpl(decoder));
    ByteBuffer buffer = ByteBuffer.wrap(payload);
    decoder.setByteBuffer(buffer);
    List<Message> messages = new ArrayList<>();
    while (buffer.hasRemaining()) {
      if (decoder.readObject() instanceof Data data) {
        messages.add(
            decodeBinary(
                data.getValue().getArray(),
                data.getValue().getArrayOffset(),
                data.getValue().getLength()));
      }
    }
    return messages;
  }

  private static Message decodeBinary(byte[] array, int offset, int length) {
    Message message = Proton.message();
    message.decode(array, offset, length);
    return message;
  }

  /** The delivery tag is the lock token as a .NET GUID: the first three groups little-endian. */
  static byte[] deliveryTag(UUID lockToken) {
    ByteBuffer javaOrder = ByteBuffer.allocate(16);
    javaOrder.putLong(lockToken.getMostSignificantBits());
    javaOrder.putLong(lockToken.getLeastSignificantBits());
    return swapGuidGroups(javaOrder.array());
  }

  static UUID lockToken(byte[] deliveryTag) {
    if (deliveryTag == null || deliveryTag.length != 16) {
      return null;
    }
    ByteBuffer javaOrder = ByteBuffer.wrap(swapGuidGroups(deliveryTag));
    return new UUID(javaOrder.getLong(), javaOrder.getLong());
  }

  private static byte[] swapGuidGroups(byte[] in) {
    byte[] out = in.clone();
    out[0] = in[3];
    out[1] = in[2];
    out[2] = in[1];
    out[3] = in[0];
    out[4] = in[5];
    out[5] = in[4];
    out[6] = in[7];
    out[7] = in[6];
    return out;
  }

  /** Session lock expiry travels as .NET ticks (100 ns since 0001-01-01), read as a long. */
  static long dotNetTicks(Instant instant) {
    return DOT_NET_EPOCH_TICKS + instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
  }

  static Date date(Instant instant) {
    return Date.from(instant);
  }

  /** Proton decodes an AMQP array of long as long[]; lists and Long[] also occur. */
  static List<Long> longs(Object value) {
    List<Long> result = new ArrayList<>();
    if (value instanceof long[] primitive) {
      for (long l : primitive) {
        result.add(l);
      }
    } else if (value instanceof Object[] objects) {
      for (Object o : objects) {
        result.add(((Number) o).longValue());
      }
    } else if (value instanceof Iterable<?> iterable) {
      iterable.forEach(o -> result.add(((Number) o).longValue()));
    } else if (value instanceof Number number) {
      result.add(number.longValue());
    }
    return result;
  }

  static List<UUID> uuids(Object value) {
    List<UUID> result = new ArrayList<>();
    if (value instanceof Object[] objects) {
      for (Object o : objects) {
        result.add(toUuid(o));
      }
    } else if (value instanceof Iterable<?> iterable) {
      iterable.forEach(o -> result.add(toUuid(o)));
    } else if (value != null) {
      result.add(toUuid(value));
    }
    return result;
  }

  private static UUID toUuid(Object o) {
    return o instanceof UUID uuid ? uuid : UUID.fromString(String.valueOf(o));
  }
}
