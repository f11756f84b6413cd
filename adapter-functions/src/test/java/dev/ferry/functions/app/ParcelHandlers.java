package dev.ferry.functions.app;

import dev.ferry.Handles;
import dev.ferry.MessageContext;
import dev.ferry.functions.app.ParcelMessages.ParcelShipped;
import dev.ferry.functions.app.ParcelMessages.ShipParcel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;

/**
 * The handlers of the test app: shipping records each parcel in the handler's transaction and
 * publishes {@link ParcelShipped}; tracking counts the events it gets. The same classes would run
 * in any other host.
 */
public final class ParcelHandlers {
  /** Handler runs per parcel id, for the tests' assertions. */
  public static final Map<String, AtomicInteger> SHIPPING_RUNS = new ConcurrentHashMap<>();

  public static final Map<String, AtomicInteger> TRACKED = new ConcurrentHashMap<>();

  /** Parcels whose tracking fails once; the attempts tracking saw, per parcel. */
  public static final java.util.Set<String> TRACKING_FAILS_ONCE = ConcurrentHashMap.newKeySet();

  public static final Map<String, java.util.List<Integer>> TRACKING_ATTEMPTS =
      new ConcurrentHashMap<>();

  /** The envelope each parcel was last shipped from. */
  public static final Map<String, dev.ferry.Envelope> ENVELOPES = new ConcurrentHashMap<>();

  /** The table shipments are written to, schema-qualified, set by the test. */
  public static volatile String shipmentsTable = "shipments";

  public static void reset() {
    SHIPPING_RUNS.clear();
    TRACKED.clear();
    ENVELOPES.clear();
    TRACKING_FAILS_ONCE.clear();
    TRACKING_ATTEMPTS.clear();
  }

  /** Ships from the {@code parcels} queue. */
  public static final class Shipping {
    @Handles(endpoint = ParcelApp.PARCELS_QUEUE)
    public ParcelShipped on(ShipParcel command, Handle handle, MessageContext context) {
      SHIPPING_RUNS.computeIfAbsent(command.parcelId(), k -> new AtomicInteger()).incrementAndGet();
      ENVELOPES.put(command.parcelId(), context.envelope());
      if (command.weight() < 0) {
        throw new IllegalArgumentException(
            "Parcel " + command.parcelId() + " weighs " + command.weight() + " kg");
      }
      handle
          .createUpdate(
              "insert into " + shipmentsTable + " (parcel_id, attempt) values (:id, :attempt)")
          .bind("id", command.parcelId())
          .bind("attempt", context.attempt())
          .execute();
      return new ParcelShipped(command.parcelId());
    }
  }

  /** Tracking's subscription to {@link ParcelShipped}. */
  public static final class Tracking {
    @Handles(endpoint = ParcelApp.TRACKING_SUBSCRIPTION)
    public void on(ParcelShipped event, MessageContext context) {
      TRACKING_ATTEMPTS
          .computeIfAbsent(event.parcelId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
          .add(context.attempt());
      if (TRACKING_FAILS_ONCE.remove(event.parcelId())) {
        throw new IllegalArgumentException("tracking of " + event.parcelId() + " is not ready");
      }
      TRACKED.computeIfAbsent(event.parcelId(), k -> new AtomicInteger()).incrementAndGet();
    }
  }
}
