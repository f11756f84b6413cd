package dev.ferry.servicebus.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import dev.ferry.Address;
import dev.ferry.servicebus.DeadLetterDrain;
import dev.ferry.servicebus.ServiceBusTransport;
import dev.ferry.spi.EnvelopeStore;
import dev.ferry.testkit.servicebus.EntitySettings;
import dev.ferry.testkit.servicebus.ServiceBusTestDouble;
import dev.ferry.testkit.servicebus.TopicSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The code of this module's README and TEST-DOUBLE.md, compiled so that it keeps up with the APIs
 * (DocSnippetsTest compares the documents' blocks with the tagged regions). Never run: the
 * namespaces are examples.
 */
@SuppressWarnings("unused")
final class ReadmeExamples {
  private static final Logger log = LoggerFactory.getLogger(ReadmeExamples.class);

  record Order(String id) {}

  interface Orders {
    void place(Order order);
  }

  private ReadmeExamples() {}

  static Order parse(ServiceBusReceivedMessage message) {
    return new Order(message.getMessageId());
  }

  static void withTheSdkAlone(ServiceBusClientBuilder client, Orders orders) {
    // tag::sdk-alone[]
    client
        .processor()
        .queueName("orders")
        .processMessage(ctx -> orders.place(parse(ctx.getMessage()))) // then auto-complete
        .processError(ctx -> log.warn("receive failed", ctx.getException()))
        .buildProcessorClient()
        .start();
    // end::sdk-alone[]
  }

  static ServiceBusTransport ownCredential() {
    // tag::credential[]
    return ServiceBusTransport.builder()
        .namespace("my-ns.servicebus.windows.net")
        .credential(new ManagedIdentityCredentialBuilder().build())
        .build();
    // end::credential[]
  }

  static void drain(EnvelopeStore store) {
    // tag::drain[]
    try (DeadLetterDrain drain =
        DeadLetterDrain.builder()
            .namespace("my-ns.servicebus.windows.net")
            .store(store) // the bus's JdbiEnvelopeStore
            .build()) {
      drain.drain(Address.parse("servicebus:queue:orders"));
      drain.drain(Address.parse("servicebus:topic:events/subscriptions/billing"));
    }
    // end::drain[]
  }

  static void testDouble() {
    // tag::test-double[]
    try (ServiceBusTestDouble bus =
        ServiceBusTestDouble.builder()
            .queue("orders", EntitySettings.defaults().withMaxDeliveryCount(3))
            .topic("events", TopicSettings.defaults().withSubscription("billing"))
            .start()) { // port 0: a free port
      var client = new ServiceBusClientBuilder().connectionString(bus.connectionString());
      // ... use the real SDK ...
      assertThat(bus.deadLetters("orders")).hasSize(1);
      assertThat(bus.operations("renew-lock")).isNotEmpty();
    }
    // end::test-double[]
  }
}
