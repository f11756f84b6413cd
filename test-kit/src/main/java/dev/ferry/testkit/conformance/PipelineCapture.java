package dev.ferry.testkit.conformance;

import dev.ferry.Address;
import dev.ferry.Reasons;
import dev.ferry.config.FerryConfig;
import dev.ferry.spi.DeliveryHandler;
import dev.ferry.spi.Listener;
import dev.ferry.spi.ListenerSettings;
import dev.ferry.spi.Sender;
import dev.ferry.spi.Transport;
import dev.ferry.spi.TransportCapabilities;
import dev.ferry.spi.TransportContext;
import dev.ferry.spi.TransportFactory;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A transport that keeps the pipeline a bus hands each of its listeners, so that a test can feed it
 * deliveries read by a real transport's decoder; everything else goes to a local broker of its own.
 * It takes the name of the transport whose decoding is under test.
 */
public final class PipelineCapture implements Transport {
  /**
   * Every dead-letter reason of {@link Reasons}: what a decoded message may be dead-lettered for.
   */
  public static final Set<String> DEAD_LETTER_REASONS =
      Set.of(
          Reasons.MALFORMED_HEADERS,
          Reasons.MISSING_MESSAGE_TYPE,
          Reasons.UNKNOWN_MESSAGE_TYPE,
          Reasons.NO_HANDLER,
          Reasons.MALFORMED_BODY,
          Reasons.UNSTORABLE,
          Reasons.TOO_LARGE,
          Reasons.UNSUPPORTED_CONTENT_TYPE,
          Reasons.UNSUPPORTED_BODY,
          Reasons.HANDLER_FAILED);

  private final String name;
  private final Transport local =
      TransportFactory.load(
          "local", FerryConfig.of(Map.of("ferry.local.broker", UUID.randomUUID().toString())));
  private final Map<Address, DeliveryHandler> pipelines = new ConcurrentHashMap<>();

  public PipelineCapture(String name) {
    this.name = name;
  }

  /** The pipeline of the endpoint whose name is {@code endpointName}. */
  public DeliveryHandler pipeline(String endpointName) {
    return pipelines.entrySet().stream()
        .filter(e -> e.getKey().name().equals(endpointName))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no listener on " + endpointName + ": " + pipelines.keySet()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TransportCapabilities capabilities() {
    return local.capabilities();
  }

  @Override
  public void start(TransportContext context) throws Exception {
    local.start(context);
  }

  @Override
  public Sender sender(Address destination) throws Exception {
    return local.sender(destination);
  }

  @Override
  public Listener listen(Address source, ListenerSettings settings, DeliveryHandler handler)
      throws Exception {
    pipelines.put(source, handler);
    return local.listen(source, settings, handler);
  }

  @Override
  public void close() {
    local.close();
  }
}
