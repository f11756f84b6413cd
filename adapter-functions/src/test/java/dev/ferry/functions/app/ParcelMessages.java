package dev.ferry.functions.app;

import dev.ferry.Event;
import dev.ferry.MessageType;

/** The messages of the test function app. */
public final class ParcelMessages {
  private ParcelMessages() {}

  /** A command: ship a parcel. A negative weight is a bug in the sender: it always fails. */
  @MessageType("ship-parcel")
  public record ShipParcel(String parcelId, int weight) {}

  /** The event billing and tracking subscribe to. */
  @Event
  @MessageType("parcel-shipped")
  public record ParcelShipped(String parcelId) {}
}
