package dev.ferry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a message type as an event: it is published to a topic named after its alias, and every
 * service that handles it listens on a subscription of that topic named after the service. A type
 * without this mark is a command: it is sent to a queue named after its alias, where the one
 * service that handles it listens.
 *
 * <p>The mark belongs to the message contract, so that the sending and the listening side agree on
 * it; for classes you cannot annotate, use {@link BusBuilder#events(Class...)}. An explicit route
 * ({@link BusBuilder#route}, {@code ferry.routes}) still wins over the convention.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Event {}
