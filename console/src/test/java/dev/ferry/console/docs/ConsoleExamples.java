package dev.ferry.console.docs;

import dev.ferry.Address;
import dev.ferry.MessageBus;
import dev.ferry.console.FerryConsole;
import dev.ferry.jdbi.JdbiEnvelopeStore;
import dev.ferry.servicebus.DeadLetterDrain;

/**
 * The code of docs/console.md, compiled so that it keeps up with the API (DocSnippetsTest compares
 * the page's blocks with the tagged regions). Never run: the namespace is an example.
 */
@SuppressWarnings("unused")
final class ConsoleExamples {
  private ConsoleExamples() {}

  static FerryConsole nativeDrain(MessageBus bus, JdbiEnvelopeStore store, String ns) {
    // tag::native-drain[]
    DeadLetterDrain drain = DeadLetterDrain.builder().namespace(ns).store(store).build();
    FerryConsole console =
        FerryConsole.builder(bus)
            .auditStore(store)
            .nativeDrain("servicebus:queue:orders", entity -> drain.drain(Address.parse(entity)))
            .build();
    // end::native-drain[]
    return console;
  }
}
