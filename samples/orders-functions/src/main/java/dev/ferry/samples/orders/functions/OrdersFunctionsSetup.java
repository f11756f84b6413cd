package dev.ferry.samples.orders.functions;

import dev.ferry.functions.FerryFunctionsSetup;
import dev.ferry.functions.FunctionsWorker;
import dev.ferry.samples.orders.OrderFlow;

/**
 * The app's one piece of Ferry wiring, the same routes and policies as the WAR's: everything else
 * (Service Bus, PostgreSQL, service name) comes from the app settings.
 */
public final class OrdersFunctionsSetup implements FerryFunctionsSetup {
  @Override
  public void configure(FunctionsWorker.Builder worker) {
    worker.bus(
        bus ->
            OrderFlow.configure(bus)
                .handlerClasses(OrderFlow.handlerClasses().toArray(Class<?>[]::new)));
  }
}
