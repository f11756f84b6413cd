package dev.ferry.spi;

/**
 * Turns messages into bodies and back. The runtime only asks for classes registered as message
 * types, so a serializer never resolves a class from the wire.
 */
public interface Serializer {

  /** The content type written on envelopes, e.g. {@code application/json}. */
  String contentType();

  /**
   * Whether this serializer reads bodies of {@code contentType}, as the wire named it. A message
   * without one is read (foreign producers often omit it); by default a content type is read when
   * its media type, without parameters and ignoring case, is {@link #contentType()}'s. A message
   * whose content type is not read is dead-lettered with {@link
   * dev.ferry.Reasons#UNSUPPORTED_CONTENT_TYPE}.
   */
  default boolean reads(String contentType) {
    return contentType == null
        || contentType.isBlank()
        || mediaType(contentType).equals(mediaType(contentType()));
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(java.util.Locale.ROOT);
  }

  byte[] serialize(Object message) throws Exception;

  /** Reads a body; throws when the body does not fit {@code type}. */
  <T> T deserialize(byte[] body, Class<T> type) throws Exception;
}
