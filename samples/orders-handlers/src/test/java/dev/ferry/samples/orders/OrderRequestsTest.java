package dev.ferry.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class OrderRequestsTest {

  @Test
  void readsAValidOrder() {
    NewOrder order =
        OrderRequests.parse(
            "{\"customer\":\"ada\",\"email\":\"ada@example.com\","
                + "\"lines\":[{\"sku\":\"TEA-1\",\"quantity\":2,\"unitPrice\":3.50}]}");
    assertThat(order.customer()).isEqualTo("ada");
    assertThat(order.lines()).containsExactly(new OrderLine("TEA-1", 2, new BigDecimal("3.50")));
  }

  @Test
  void saysWhereMalformedJsonBreaks() {
    assertThatThrownBy(() -> OrderRequests.parse("{\"customer\": \"ada\", \"lines\": [}"))
        .isInstanceOf(InvalidOrderException.class)
        .hasMessageStartingWith("Malformed order JSON at line 1, column");
  }

  @Test
  void namesTheFieldOfAWrongType() {
    assertThatThrownBy(
            () ->
                OrderRequests.parse(
                    "{\"customer\":\"ada\",\"email\":\"a@b\","
                        + "\"lines\":[{\"sku\":\"X\",\"quantity\":\"two\",\"unitPrice\":1}]}"))
        .hasMessage("Invalid order: 'lines[0].quantity' must be a whole number");
  }

  @Test
  void rejectsUnknownFieldsAndMissingValues() {
    assertThatThrownBy(() -> OrderRequests.parse("{\"customer\":\"ada\",\"colour\":\"red\"}"))
        .hasMessageStartingWith("Invalid order: unknown field 'colour'");
    assertThatThrownBy(() -> OrderRequests.parse("{\"email\":\"a@b\",\"lines\":[]}"))
        .hasMessage("Invalid order: 'customer' is required");
    assertThatThrownBy(() -> OrderRequests.parse("{\"customer\":\"ada\",\"email\":\"a@b\"}"))
        .hasMessage("Invalid order: 'lines' needs at least one line");
    assertThatThrownBy(() -> OrderRequests.parse("[1,2]"))
        .hasMessage("Invalid order: expected a JSON object with customer, email and lines");
    assertThatThrownBy(() -> OrderRequests.parse("  "))
        .hasMessageStartingWith("The order is empty");
  }
}
