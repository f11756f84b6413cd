package dev.ferry.spi;

/**
 * What a transport does natively; the runtime fills the gaps itself.
 *
 * @param nativeScheduling delivers {@link dev.ferry.Envelope#scheduledFor()} itself; otherwise the
 *     envelope store holds scheduled messages until they are due
 * @param nativeDeadLetter can move a message to a broker dead-letter queue ({@link
 *     Decision#deadLetterNatively}); the runtime still uses its own store unless configured
 *     otherwise
 * @param deliveryCount reports how often a message was delivered ({@link Delivery#deliveryCount()})
 * @param sessions supports ordered sessions (message groups)
 * @param maxMessageBytes the largest body the transport accepts, or 0 if unbounded
 */
public record TransportCapabilities(
    boolean nativeScheduling,
    boolean nativeDeadLetter,
    boolean deliveryCount,
    boolean sessions,
    long maxMessageBytes) {}
