package dev.ferry.internal.runtime;

import dev.ferry.internal.handlers.HandlerRegistry;
import dev.ferry.internal.routing.Router;
import dev.ferry.internal.types.MessageTypes;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.spi.Serializer;
import dev.ferry.spi.TransportCapabilities;

/** The collaborators every part of one running bus shares. */
final class RuntimeParts {
  final RuntimeSettings settings;
  final MessageTypes types;
  final HandlerRegistry handlers;
  final Router router;
  final Serializer serializer;
  final EnvelopeStore store;
  final TransportCapabilities transportCapabilities;
  final boolean nativeScheduling;
  final EnvelopeFactory factory;
  final FailurePlan failurePlan;
  final Counters counters;
  final Observers observers;
  final Outbox outbox;
  final HandlerWatchdog watchdog;

  RuntimeParts(
      RuntimeSettings settings,
      MessageTypes types,
      HandlerRegistry handlers,
      Router router,
      Serializer serializer,
      EnvelopeStore store,
      TransportCapabilities transportCapabilities,
      FailurePlan failurePlan,
      Counters counters,
      Observers observers,
      Outbox outbox,
      java.util.concurrent.ScheduledExecutorService scheduler) {
    this.settings = settings;
    this.types = types;
    this.handlers = handlers;
    this.router = router;
    this.serializer = serializer;
    this.store = store;
    this.transportCapabilities = transportCapabilities;
    this.nativeScheduling = transportCapabilities.nativeScheduling();
    this.factory =
        new EnvelopeFactory(
            types,
            serializer,
            router,
            settings.serviceName(),
            nativeScheduling,
            transportCapabilities.maxMessageBytes());
    this.failurePlan = failurePlan;
    this.counters = counters;
    this.observers = observers;
    this.outbox = outbox;
    this.watchdog = new HandlerWatchdog(settings.handlerTimeout(), scheduler);
  }
}
