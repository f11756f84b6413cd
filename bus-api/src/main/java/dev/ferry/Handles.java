package dev.ferry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a message handler. The first parameter is the message; further
 * parameters may be a {@link MessageContext} or any resource the unit of work offers (for example
 * the JDBI {@code Handle} of a durable endpoint's transaction).
 *
 * <p>The return value is cascaded: a single message is sent if it is a command and published if it
 * is an {@link Event}, an {@link Iterable} or array cascades each element, {@code null}, {@code
 * void} and an empty {@link java.util.Optional} send nothing. When the incoming message is a
 * request, a returned message of the requested type is the reply.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handles {
  /**
   * The endpoint to listen on for this handler, overriding routing, e.g. {@code "queue:billing"}.
   * Empty (the usual case) means: where the routing of the message type sends it, the command's
   * queue or this service's subscription of the event's topic. Prefer a route ({@code
   * BusBuilder.route}, {@code ferry.routes}), which the sending side shares.
   */
  String endpoint() default "";
}
