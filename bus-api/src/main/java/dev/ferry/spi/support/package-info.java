/**
 * Support for transports, shared so that each rule has one copy: carrying out the runtime's {@link
 * dev.ferry.spi.Decision}s on a broker ({@link dev.ferry.spi.support.Settlements}), the envelope's
 * names on the wire ({@link dev.ferry.spi.support.WireNames}), listeners whose workers pull ({@link
 * dev.ferry.spi.support.PollingListener}), supervising long-running loops ({@link
 * dev.ferry.spi.support.LoopSupervisor}), logging a repeating problem without flooding ({@link
 * dev.ferry.spi.support.LogThrottle}), and keeping bodies the bus does not read in one encoding
 * ({@link dev.ferry.spi.support.ForeignBodies}).
 */
package dev.ferry.spi.support;
