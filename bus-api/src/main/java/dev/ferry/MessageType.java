package dev.ferry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable wire name of a message class, for example {@code "orders.order-placed.v1"}.
 *
 * <p>The alias is the only name that travels on the wire: a receiver resolves it through its
 * registry of known message types and never loads a class named by a header. Keep the alias when
 * renaming or moving the class; change the version suffix when the contract changes incompatibly,
 * and register both versions while they coexist.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageType {
  /** The alias: lower case letters, digits, '.', '-' and '_', ending in a version like ".v1". */
  String value();
}
