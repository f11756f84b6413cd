package dev.ferry.opentelemetry.functions;

import dev.ferry.functions.FerryFunctionsSetup;
import dev.ferry.functions.FunctionsWorker;
import dev.ferry.opentelemetry.FerryTelemetry;
import dev.ferry.testkit.conformance.TestMessages.Ping;

/** The function app's Ferry setup: a Ping handler, and the telemetry the test set. */
public final class TracedFunctionsSetup implements FerryFunctionsSetup {
  /** Set by the test before the first invocation builds the worker. */
  static volatile FerryTelemetry telemetry;

  @Override
  public void configure(FunctionsWorker.Builder worker) {
    worker.bus(
        bus -> {
          bus.handle(Ping.class, (m, ctx) -> null);
          if (telemetry != null) {
            bus.observer(telemetry.observer());
          }
        });
  }
}
