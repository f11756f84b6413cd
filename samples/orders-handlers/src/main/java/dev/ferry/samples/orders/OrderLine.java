package dev.ferry.samples.orders;

import java.math.BigDecimal;

/**
 * One line of an order.
 *
 * @param sku the article
 * @param quantity how many, at least 1
 * @param unitPrice the price of one, not negative
 */
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

  /** The line's amount. */
  public BigDecimal amount() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
