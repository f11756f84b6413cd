package dev.ferry.functions.app;

import dev.ferry.ErrorPolicy;
import dev.ferry.functions.FerryFunctionsSetup;
import dev.ferry.functions.FunctionsWorker;
import dev.ferry.functions.app.ParcelMessages.ParcelShipped;
import dev.ferry.functions.app.ParcelMessages.ShipParcel;

/** The test app's setup, registered as a service like a real app's. */
public final class ParcelApp implements FerryFunctionsSetup {
  public static final String PARCELS_QUEUE = "queue:parcels";
  public static final String TRACKING_SUBSCRIPTION = "topic:parcel-shipped/subscriptions/tracking";

  /** Deliveries a failing parcel gets before it becomes a Ferry dead letter. */
  public static final int ATTEMPTS = 3;

  @Override
  public void configure(FunctionsWorker.Builder worker) {
    worker.bus(
        bus ->
            bus.messageTypes(ShipParcel.class, ParcelShipped.class)
                .handlerClasses(ParcelHandlers.Shipping.class, ParcelHandlers.Tracking.class)
                .onError(
                    ErrorPolicy.on(IllegalArgumentException.class)
                        .retry(ATTEMPTS - 1)
                        .thenDeadLetter()));
  }
}
