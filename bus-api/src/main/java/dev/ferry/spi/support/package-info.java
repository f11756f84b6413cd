/**
 * Support for transports, shared so that each rule has one copy: carrying out the runtime's {@link
 * dev.ferry.spi.Decision}s on a broker ({@link dev.ferry.spi.support.Settlements}), supervising
 * long-running loops ({@link dev.ferry.spi.support.LoopSupervisor}), and keeping bodies the bus
 * does not read in one encoding ({@link dev.ferry.spi.support.ForeignBodies}).
 */
package dev.ferry.spi.support;
