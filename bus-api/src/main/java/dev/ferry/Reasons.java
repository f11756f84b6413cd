package dev.ferry;

/**
 * Why a received message was dead-lettered or dropped, as stored in {@link DeadLetter#reason()},
 * passed to observers and written into a native dead-letter queue's reason. These texts are part of
 * the contract: queries such as {@code DeadLetterQuery.all().reason(Reasons.HANDLER_FAILED)} and
 * operators' alerts rely on them.
 */
public final class Reasons {
  private Reasons() {}

  // Dead-letter reasons.

  /** The transport could not read the message's headers. */
  public static final String MALFORMED_HEADERS = "malformed-headers";

  /** The message carries no message type. */
  public static final String MISSING_MESSAGE_TYPE = "missing-message-type";

  /** The message type is not registered in this service. */
  public static final String UNKNOWN_MESSAGE_TYPE = "unknown-message-type";

  /** No handler of this service handles the type at this endpoint. */
  public static final String NO_HANDLER = "no-handler";

  /** The body cannot be read as the message type, or is empty. */
  public static final String MALFORMED_BODY = "malformed-body";

  /**
   * The message carries a value the store cannot keep (a NUL character, a date outside the
   * database's range, an over-long id); its dead letter keeps the replaced values in headers.
   */
  public static final String UNSTORABLE = "unstorable-value";

  /**
   * The body is larger than the transport's receive limit; the dead letter keeps the body's first
   * bytes up to the limit, and the body's size in the header {@link #ORIGINAL_SIZE_HEADER}.
   */
  public static final String TOO_LARGE = "message-too-large";

  /**
   * The header of a {@link #TOO_LARGE} dead letter that keeps the received body's size in bytes.
   */
  public static final String ORIGINAL_SIZE_HEADER = "ferry-original-body-size";

  /**
   * The message's content type is one the bus's serializer does not read (see {@link
   * dev.ferry.spi.Serializer#reads}); the dead letter keeps the body as it came.
   */
  public static final String UNSUPPORTED_CONTENT_TYPE = "unsupported-content-type";

  /**
   * The body is of a kind that is not a message body the bus reads (a JMS map, stream or object
   * message; an AMQP value or sequence body). The transport kept it in the dead letter in a defined
   * encoding, which the header {@link #ORIGINAL_BODY_KIND_HEADER} names.
   */
  public static final String UNSUPPORTED_BODY = "unsupported-body-kind";

  /**
   * The header of an {@link #UNSUPPORTED_BODY} dead letter naming the received body's kind and the
   * encoding the dead letter keeps it in, e.g. {@code jms-map; json}. Only a transport's reader
   * writes it; a producer's header of that name is not carried.
   */
  public static final String ORIGINAL_BODY_KIND_HEADER = "ferry-original-body-kind";

  /**
   * The prefix of the headers above that describe what a transport's reader received: only readers
   * write them, and a producer's header with this prefix is refused at send and not carried.
   */
  public static final String READER_HEADER_PREFIX = "ferry-original-";

  /** The handlers failed, and the error policy's steps are used up (or say dead-letter). */
  public static final String HANDLER_FAILED = "handler-failed";

  // Drop reasons: acknowledged without handling.

  /** The message's deliver-by time passed before it was handled. */
  public static final String EXPIRED = "expired";

  /** The message was handled before at this endpoint (the durable inbox knows its id). */
  public static final String DUPLICATE = "duplicate";

  /** The error policy says to discard the message after its failures. */
  public static final String DISCARDED = "discarded by policy";
}
