package dev.ferry.samples.orders.war;

import dev.ferry.samples.orders.OutOfStockException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Not enough stock: 409; the order and its event were rolled back together. */
@Provider
public class OutOfStockMapper implements ExceptionMapper<OutOfStockException> {
  @Override
  public Response toResponse(OutOfStockException e) {
    return Json.error(Response.Status.CONFLICT, e.getMessage());
  }
}
