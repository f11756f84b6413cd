package dev.ferry.spi;

/**
 * Turns messages into bodies and back. The runtime only asks for classes registered as message
 * types, so a serializer never resolves a class from the wire.
 */
public interface Serializer {

  /** The content type written on envelopes, e.g. {@code application/json}. */
  String contentType();

  byte[] serialize(Object message) throws Exception;

  /** Reads a body; throws when the body does not fit {@code type}. */
  <T> T deserialize(byte[] body, Class<T> type) throws Exception;
}
