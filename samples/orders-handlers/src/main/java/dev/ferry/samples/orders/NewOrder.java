package dev.ferry.samples.orders;

import java.util.List;

/**
 * An order as a customer submits it ({@code POST /orders}); read and checked by {@link
 * OrderRequests#parse(String)}.
 *
 * @param customer who orders
 * @param email where the confirmation goes
 * @param lines what is ordered, at least one line
 */
public record NewOrder(String customer, String email, List<OrderLine> lines) {
  public NewOrder {
    lines = lines == null ? List.of() : List.copyOf(lines);
  }
}
