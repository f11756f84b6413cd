package dev.ferry.functions;

/**
 * Configures the bus of a function app: handlers, routes, error policies. Implement it once in the
 * app and register it in {@code META-INF/services/dev.ferry.functions.FerryFunctionsSetup}; {@link
 * FerryFunctions} runs it when it builds the worker's bus, before the first invocation is handled.
 * Settings come from the app settings (environment) unless set here.
 */
@FunctionalInterface
public interface FerryFunctionsSetup {
  void configure(FunctionsWorker.Builder worker);
}
