package dev.ferry.samples.orders.war;

import dev.ferry.samples.orders.InvalidOrderException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A malformed or incomplete order: 400 with what is wrong; nothing was written or published. */
@Provider
public class InvalidOrderMapper implements ExceptionMapper<InvalidOrderException> {
  @Override
  public Response toResponse(InvalidOrderException e) {
    return Json.error(Response.Status.BAD_REQUEST, e.getMessage());
  }
}
