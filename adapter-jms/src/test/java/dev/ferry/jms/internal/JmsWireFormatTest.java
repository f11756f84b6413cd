package dev.ferry.jms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.spi.support.WireNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JmsWireFormatTest {

  @ParameterizedTest
  @ValueSource(strings = {"customer-id", "a.b.c", "x_y", "Ünïcode", "plain", "with space", "-"})
  void headerNamesBecomeValidPropertyNamesAndBack(String header) {
    String property = WireNames.headerProperty(header);
    assertThat(property).matches("[A-Za-z][A-Za-z0-9_]*");
    assertThat(WireNames.headerName(property)).isEqualTo(header);
  }

  @org.junit.jupiter.api.Test
  void documentedExampleHolds() {
    assertThat(WireNames.headerProperty("customer-id")).isEqualTo("ferryh_customer_002did");
  }

  @Test
  void theFastInstantReaderAgreesWithInstantParse() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      Instant at =
          Instant.ofEpochSecond(random.nextLong() % 4_000_000_000L, random.nextInt(1_000_000_000));
      at =
          switch (i % 4) {
            case 0 -> at.truncatedTo(ChronoUnit.SECONDS);
            case 1 -> at.truncatedTo(ChronoUnit.MILLIS);
            case 2 -> at.truncatedTo(ChronoUnit.MICROS);
            default -> at;
          };
      String text = at.toString();
      // Every generated instant has a four-digit year: the fast reader must take all of them.
      assertThat(JmsWireFormat.parseUtc(text)).as(text).isEqualTo(Instant.parse(text));
    }
    assertThat(JmsWireFormat.parseUtc("2026-11-21T07:59:38.123456Z"))
        .isEqualTo(Instant.parse("2026-11-21T07:59:38.123456Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-30T00:00:00Z",
        "2026-11-21T24:00:00Z",
        "2026-11-21T07:59:38.12Z",
        "2026-11-21T07:59:38+01:00",
        "2026-11-21 07:59:38Z",
        "+12026-11-21T07:59:38Z",
        "2026-11-21T07:59:3xZ",
        "not an instant at all"
      })
  void anythingElseIsLeftToInstantParse(String text) {
    assertThat(JmsWireFormat.parseUtc(text)).isNull();
  }
}
