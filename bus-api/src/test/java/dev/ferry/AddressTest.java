package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

  @ParameterizedTest
  @CsvSource({
    "queue:orders, , QUEUE, orders, ",
    "jms:queue:orders, jms, QUEUE, orders, ",
    "local:orders, local, QUEUE, orders, ",
    "topic:orders, , TOPIC, orders, ",
    "servicebus:topic:orders/subscriptions/billing, servicebus, SUBSCRIPTION, orders, billing",
  })
  void parsesAndPrintsTheTextForms(
      String text, String transport, Address.Kind kind, String name, String subscription) {
    Address a = Address.parse(text);
    assertThat(a).isEqualTo(new Address(transport, kind, name, subscription));
    assertThat(Address.parse(a.toString())).isEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "queue:",
        "topic:a/subscriptions/",
        "jms:bogus:x",
        "queue:a b",
        "queue:../etc",
        "Bad_Transport:queue:x"
      })
  void rejectsInvalidAddresses(String text) {
    assertThatThrownBy(() -> Address.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
