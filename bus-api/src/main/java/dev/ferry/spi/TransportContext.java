package dev.ferry.spi;

import dev.ferry.config.FerryConfig;

/**
 * What the runtime gives a transport when it starts.
 *
 * @param serviceName this service's name
 * @param nodeId this node's unique id
 * @param config resolved configuration, for transport-specific keys
 * @param executors thread supply of the host
 */
public record TransportContext(
    String serviceName, String nodeId, FerryConfig config, HostExecutors executors) {}
