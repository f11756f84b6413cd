/**
 * Support for transports, shared so that each rule has one copy: carrying out the runtime's {@link
 * dev.ferry.spi.Decision}s on a broker ({@link dev.ferry.spi.support.Settlements}).
 */
package dev.ferry.spi.support;
