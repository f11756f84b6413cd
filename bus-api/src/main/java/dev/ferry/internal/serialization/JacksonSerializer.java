package dev.ferry.internal.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import dev.ferry.spi.Serializer;

/**
 * JSON with java.time as ISO-8601 text. Unknown properties are ignored so that a newer producer
 * adding optional fields does not break an older consumer of the same alias.
 */
public final class JacksonSerializer implements Serializer {
  private final ObjectMapper mapper;

  public JacksonSerializer() {
    this(defaultMapper());
  }

  public JacksonSerializer(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  public static ObjectMapper defaultMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .registerModule(new ParameterNamesModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        // Polymorphic typing stays off: types come from the alias registry, never the payload.
        .deactivateDefaultTyping();
  }

  @Override
  public String contentType() {
    return "application/json";
  }

  @Override
  public byte[] serialize(Object message) throws Exception {
    return mapper.writeValueAsBytes(message);
  }

  @Override
  public <T> T deserialize(byte[] body, Class<T> type) throws Exception {
    return mapper.readValue(body, type);
  }
}
