package dev.ferry.jms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JmsWireFormatTest {

  @ParameterizedTest
  @ValueSource(strings = {"customer-id", "a.b.c", "x_y", "Ünïcode", "plain", "with space", "-"})
  void headerNamesBecomeValidPropertyNamesAndBack(String header) {
    String property = JmsWireFormat.headerProperty(header);
    assertThat(property).matches("[A-Za-z][A-Za-z0-9_]*");
    assertThat(JmsWireFormat.headerName(property)).isEqualTo(header);
  }

  @org.junit.jupiter.api.Test
  void documentedExampleHolds() {
    assertThat(JmsWireFormat.headerProperty("customer-id")).isEqualTo("ferryh_customer_002did");
  }
}
