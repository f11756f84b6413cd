package dev.ferry;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The buses one test starts, all on a local broker of their own so that tests do not see each
 * other's messages; closed after the test.
 */
final class LocalBuses implements AfterEachCallback {
  private final List<MessageBus> buses = new ArrayList<>();
  private final String broker = UUID.randomUUID().toString();

  /** Builds the bus on this test's broker and keeps it for closing. */
  MessageBus start(BusBuilder b) {
    MessageBus bus = b.localBroker(broker).build();
    buses.add(bus);
    return bus;
  }

  /** The name of this test's local broker, for what is built without {@link #start}. */
  String broker() {
    return broker;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    buses.forEach(MessageBus::close);
  }
}
