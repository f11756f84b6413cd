package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.internal.serialization.JacksonSerializer;
import dev.ferry.spi.Serializer;
import org.junit.jupiter.api.Test;

/** Which content types the serializer reads, and the headers only transports' readers write. */
class ContentTypeRulesTest {
  private final Serializer json = new JacksonSerializer();

  @Test
  void theSerializersMediaTypeIsReadWhateverItsParametersAndCase() {
    assertThat(json.reads("application/json")).isTrue();
    assertThat(json.reads(" Application/JSON ; charset=utf-8")).isTrue();
    assertThat(json.reads(null)).isTrue();
    assertThat(json.reads("")).isTrue();
    assertThat(json.reads("application/xml")).isFalse();
    assertThat(json.reads("text/plain")).isFalse();
    assertThat(json.reads("application/jsonx")).isFalse();
  }

  @Test
  void aSenderCannotWriteAReadersHeader() {
    assertThatThrownBy(
            () -> DeliveryOptions.builder().header(Reasons.ORIGINAL_BODY_KIND_HEADER, "jms-map"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Reasons.READER_HEADER_PREFIX);
    assertThatThrownBy(() -> DeliveryOptions.builder().header(Reasons.ORIGINAL_SIZE_HEADER, "1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(DeliveryOptions.builder().header("ferry-originals", "x").build().headers())
        .containsEntry("ferry-originals", "x");
  }
}
