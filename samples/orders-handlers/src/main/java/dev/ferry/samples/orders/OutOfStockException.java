package dev.ferry.samples.orders;

/** An order line asks for more than the stock holds; the order is rolled back. */
public class OutOfStockException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OutOfStockException(String message) {
    super(message);
  }
}
